import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { appDb, type Database, type Tx, withTenant } from "@/db/client";
import { membershipLocations, memberships, staffInvitations, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password";
import type { Role } from "../auth/permissions";
import { keyedHash } from "../auth/tokens";
import { assertCanAddStaff } from "../billing/entitlements";
import type { EmailMessage } from "../email/send";
import { renderEmail } from "../email/templates";
import { publicUrl } from "../env";
import { AppError } from "../errors";
import { isStorableText } from "../input-text";
import { findTenantBySlug, type TenantSummary } from "../tenants/queries";
import { type Actor, checkedLocationIds } from "./members";

export const INVITATION_HOURS = 72;
/** A staff member's name as the team page, audit and board show it (a guest's name has the same bound). */
export const STAFF_NAME_MAX = 100;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** Why a new account's name or password is refused, or null. */
function newAccountProblem(account: { name: string; password: string } | undefined): string | null {
  if (!account) return "weak_password";
  const name = account.name.trim();
  if (!name) return "weak_password";
  if (name.length > STAFF_NAME_MAX) return "name_too_long";
  if (!isStorableText(name) || CONTROL_CHARACTERS.test(name)) return "name_invalid";
  if (account.password.length < MIN_PASSWORD_LENGTH) return "weak_password";
  if (account.password.length > MAX_PASSWORD_LENGTH) return "password_too_long";
  return null;
}

const ROLE_NAMES: Record<Role, string> = { owner: "владелец", manager: "управляющий", barista: "бариста" };

/**
 * Invites someone by email to the café bound to `tx`: a single-use link valid for 72 hours. Only
 * the token's hash is stored. Returns the email to send once the transaction has committed.
 */
export async function inviteStaff(
  tx: Tx,
  input: { tenant: TenantSummary; email: string; role: Role; locationIds: string[]; actor: Actor },
): Promise<{ invitationId: string; email: EmailMessage }> {
  const email = input.email.trim().toLowerCase();
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(sql`lower(${users.email}) = ${email}`);
  if (member) throw new AppError("conflict", "This person is already on the team", "already_member");
  // Re-inviting the same email replaces its open invitation, so it takes no second seat.
  await assertCanAddStaff(tx, { invitedEmail: email });
  const locationIds = input.role === "owner" ? [] : await checkedLocationIds(tx, input.locationIds);
  // Inviting again replaces what was offered before (another role, a lost mail): one open link.
  await closeOpenInvitations(tx, email);
  const token = randomBytes(32).toString("base64url");
  let invitation: { id: string } | undefined;
  try {
    [invitation] = await tx
      .insert(staffInvitations)
      .values({
        tenantId: input.tenant.id,
        email,
        role: input.role,
        locationIds,
        tokenHash: keyedHash(token),
        invitedBy: input.actor.userId,
        expiresAt: sql`now() + make_interval(hours => ${INVITATION_HOURS})`,
      })
      .returning({ id: staffInvitations.id });
  } catch (error) {
    // Two invitations of one email at once: the unique live-invitation key lets one win.
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "This email was invited a moment ago", "already_invited");
    }
    throw error;
  }
  if (!invitation) throw new Error("invitation insert returned nothing");
  await recordAudit(tx, {
    tenantId: input.tenant.id,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "staff.invited",
    targetType: "invitation",
    targetId: invitation.id,
    meta: { email, role: input.role, locationIds },
  });
  const url = `${publicUrl()}/invite/${input.tenant.slug}/${token}`;
  const content = renderEmail({
    title: `Приглашение в «${input.tenant.name}»`,
    intro: `Вас пригласили в бэк-офис «${input.tenant.name}» в Зерне, роль — ${ROLE_NAMES[input.role]}.\n\nСсылка действует ${INVITATION_HOURS} часа и срабатывает один раз.`,
    action: { label: "Принять приглашение", url },
  });
  return {
    invitationId: invitation.id,
    email: { to: email, subject: `Приглашение в «${input.tenant.name}»`, ...content, context: input.tenant.slug },
  };
}

/** The invitations of this café still live: neither accepted, withdrawn nor replaced (maybe expired). */
const live = and(
  isNull(staffInvitations.acceptedAt),
  isNull(staffInvitations.withdrawnAt),
  isNull(staffInvitations.replacedAt),
);

/**
 * Marks the café's live invitations of `email` replaced (the link stops working and says that a
 * newer one was sent; they leave "pending"). Expired ones too, so a new one may take the email's place.
 */
async function closeOpenInvitations(tx: Tx, email: string): Promise<void> {
  await tx
    .update(staffInvitations)
    .set({
      // Withdrawn ones stay withdrawn; an open one from before invitations replaced each other closes too.
      replacedAt: sql`coalesce(${staffInvitations.replacedAt}, case when ${staffInvitations.withdrawnAt} is null then now() end)`,
      expiresAt: sql`least(${staffInvitations.expiresAt}, now())`,
    })
    .where(
      and(
        sql`lower(${staffInvitations.email}) = ${email.toLowerCase()}`,
        isNull(staffInvitations.acceptedAt),
        or(live, gt(staffInvitations.expiresAt, sql`now()`)),
      ),
    );
}

function isUniqueViolation(error: unknown): boolean {
  const failure = error as { code?: string; cause?: { code?: string } };
  return failure.code === "23505" || failure.cause?.code === "23505";
}

/**
 * Withdraws a pending invitation of the café bound to `tx`: its link stops working at once and
 * says it was withdrawn. An accepted one cannot be withdrawn (remove the member instead). Audited.
 */
export async function withdrawInvitation(
  tx: Tx,
  input: { tenantId: string; invitationId: string; actor: Actor },
): Promise<void> {
  const [withdrawn] = await tx
    .update(staffInvitations)
    .set({ withdrawnAt: sql`now()`, expiresAt: sql`least(${staffInvitations.expiresAt}, now())` })
    .where(and(eq(staffInvitations.id, input.invitationId), live))
    .returning({ id: staffInvitations.id, email: staffInvitations.email, role: staffInvitations.role });
  if (!withdrawn) {
    const [existing] = await tx
      .select({ acceptedAt: staffInvitations.acceptedAt })
      .from(staffInvitations)
      .where(eq(staffInvitations.id, input.invitationId));
    if (existing?.acceptedAt) {
      throw new AppError("conflict", "The invitation was already accepted", "invitation_accepted");
    }
    throw new AppError("not_found", "No such pending invitation", "invitation_not_found");
  }
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "staff.invitation_withdrawn",
    targetType: "invitation",
    targetId: withdrawn.id,
    meta: { email: withdrawn.email, role: withdrawn.role },
  });
}

/** What became of an invitation whose link no longer opens anything. */
export type ClosedInvitationState = "accepted" | "withdrawn" | "replaced" | "expired";

/**
 * What an invitation link answers: the open invitation, or — for a link that was genuine — what
 * became of it (accepted, withdrawn, replaced by a newer one, expired) with the café's name; null
 * for an unknown link.
 */
export async function invitationByLink(
  db: Database,
  tenantSlug: string,
  token: string,
): Promise<
  { state: "open"; invitation: OpenInvitation } | { state: ClosedInvitationState; tenantName: string } | null
> {
  const tenant = await findTenantBySlug(tenantSlug, db);
  if (!tenant || token.length > 100) return null;
  const open = await findInvitation(db, tenantSlug, token);
  if (open) return { state: "open", invitation: open };
  const [row] = await withTenant(
    tenant.id,
    (tx) =>
      tx
        .select({
          acceptedAt: staffInvitations.acceptedAt,
          withdrawnAt: staffInvitations.withdrawnAt,
          replacedAt: staffInvitations.replacedAt,
        })
        .from(staffInvitations)
        .where(eq(staffInvitations.tokenHash, keyedHash(token))),
    db,
  );
  if (!row) return null;
  const state: ClosedInvitationState = row.acceptedAt
    ? "accepted"
    : row.withdrawnAt
      ? "withdrawn"
      : row.replacedAt
        ? "replaced"
        : "expired";
  return { state, tenantName: tenant.name };
}

export type OpenInvitation = {
  tenant: TenantSummary;
  invitationId: string;
  email: string;
  role: Role;
  locationIds: string[];
  /** The invited email already has a Zerno account (then that person signs in to accept). */
  accountExists: boolean;
};

/** The open invitation behind a link, or null when it is unknown, used or expired. */
export async function findInvitation(db: Database, tenantSlug: string, token: string): Promise<OpenInvitation | null> {
  const tenant = await findTenantBySlug(tenantSlug, db);
  if (!tenant || token.length > 100) return null;
  const invitation = await withTenant(
    tenant.id,
    async (tx) => {
      const [row] = await tx
        .select()
        .from(staffInvitations)
        .where(and(eq(staffInvitations.tokenHash, keyedHash(token)), live, gt(staffInvitations.expiresAt, sql`now()`)));
      return row ?? null;
    },
    db,
  );
  if (!invitation) return null;
  const [account] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${invitation.email}`);
  return {
    tenant,
    invitationId: invitation.id,
    email: invitation.email,
    role: invitation.role,
    locationIds: invitation.locationIds,
    accountExists: Boolean(account),
  };
}

/**
 * Accepts an invitation once: a new person sets a name and password (the account is created);
 * an existing one must be signed in as the invited email. Then the membership exists.
 */
export async function acceptInvitation(
  db: Database,
  input: {
    tenantSlug: string;
    token: string;
    signedInUserId: string | null;
    newAccount?: { name: string; password: string };
    ip: string | null;
  },
): Promise<{ tenantSlug: string; userId: string }> {
  const link = await invitationByLink(db, input.tenantSlug, input.token);
  if (!link) throw new AppError("not_found", "The invitation is unknown, used or expired", "invitation_invalid");
  if (link.state !== "open") {
    throw new AppError("not_found", `The invitation was ${link.state}`, `invitation_${link.state}`);
  }
  const invitation = link.invitation;
  const account = input.newAccount;
  const problem = invitation.accountExists ? null : newAccountProblem(account);
  if (problem) {
    throw new AppError(
      "invalid_request",
      `A name of 1–${STAFF_NAME_MAX} characters and a password of ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} are needed`,
      problem,
    );
  }
  const passwordHash = !invitation.accountExists && account ? await hashPassword(account.password) : null;
  // One transaction: a new account never exists without its membership.
  const userId = await withTenant(
    invitation.tenant.id,
    async (tx) => {
      const person = await invitedPerson(tx, invitation, input.signedInUserId, account?.name ?? "", passwordHash);
      const claimed = await tx
        .update(staffInvitations)
        .set({ acceptedAt: sql`now()` })
        .where(and(eq(staffInvitations.id, invitation.invitationId), live))
        .returning({ id: staffInvitations.id });
      // The plan may have shrunk since the invitation was sent.
      await assertCanAddStaff(tx, { accepting: true });
      if (claimed.length === 0)
        throw new AppError("not_found", "The invitation was just accepted or withdrawn", "invitation_invalid");
      // Another link to the same person (sent before this one was replaced) opens nothing now.
      await closeOpenInvitations(tx, invitation.email);
      const [membership] = await tx
        .insert(memberships)
        .values({ tenantId: invitation.tenant.id, userId: person, role: invitation.role })
        .onConflictDoNothing()
        .returning({ id: memberships.id });
      if (!membership) throw new AppError("conflict", "Already on the team", "already_member");
      if (invitation.locationIds.length > 0) {
        await tx.insert(membershipLocations).values(
          invitation.locationIds.map((locationId) => ({
            tenantId: invitation.tenant.id,
            membershipId: membership.id,
            locationId,
          })),
        );
      }
      await recordAudit(tx, {
        tenantId: invitation.tenant.id,
        actorKind: "staff",
        actorUserId: person,
        ip: input.ip,
        action: "staff.invitation_accepted",
        targetType: "membership",
        targetId: membership.id,
        meta: { role: invitation.role },
      });
      return person;
    },
    db,
  );
  return { tenantSlug: invitation.tenant.slug, userId };
}

/** The account that accepts: the signed-in invited person, or a new account made now. */
async function invitedPerson(
  tx: Tx,
  invitation: OpenInvitation,
  signedInUserId: string | null,
  name: string,
  passwordHash: string | null,
): Promise<string> {
  if (invitation.accountExists) {
    const [user] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${invitation.email}`);
    if (!user || user.id !== signedInUserId) {
      throw new AppError("unauthorized", "Sign in as the invited person first", "sign_in_required");
    }
    return user.id;
  }
  const [created] = await tx
    .insert(users)
    // The invitation link reached this address: it is confirmed (opening a storefront needs that).
    .values({ email: invitation.email, name: name.trim(), passwordHash, emailVerified: sql`now()` })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (!created) throw new AppError("conflict", "The account was just created; sign in to accept", "sign_in_required");
  return created.id;
}

/** invitationByLink on the app's pool, for the invitation page. */
export function invitationOfLink(tenantSlug: string, token: string) {
  return invitationByLink(appDb(), tenantSlug, token);
}

/** acceptInvitation on the app's pool, for the invitation page's form. */
export function acceptInvitationByLink(input: Parameters<typeof acceptInvitation>[1]) {
  return acceptInvitation(appDb(), input);
}
