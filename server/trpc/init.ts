import { initTRPC, TRPCError } from "@trpc/server";
import type { SQL } from "drizzle-orm";
import type { OpenApiMeta } from "trpc-to-openapi";
import { type Database, type Tx, withTenant } from "@/db/client";
import type { Permission } from "../auth/permissions";
import type { StaffSession } from "../auth/sessions";
import { resolveStaffAccess } from "../auth/staff";
import { assertWritable } from "../billing/entitlements";
import { AppError, type AppErrorCode } from "../errors";
import { guestOfAccount, onlineAccessClosed } from "../guest-auth/guests";
import type { GuestAccount } from "../guest-auth/session";
import { firstUnstorableText } from "../input-text";
import type { Guest } from "../loyalty/ledger";
import { identifyPosKey, type PosKeyState, posKeyState, posProgram } from "../pos/auth";
import { consumePosRateLimit } from "../pos/rate-limit";
import { findTenantBySlug } from "../tenants/queries";
import { storefrontOpenTo } from "../tenants/storefront";

/** What every procedure sees: who is calling from where, and the app's database. */
export type Context = {
  db: Database;
  requestId: string;
  ip: string | null;
  headers: Headers;
  /** The signed-in staff session, resolved on demand (POS requests never pay for it). */
  getStaffSession: () => Promise<StaffSession | null>;
  /** The signed-in guest identity (magic link), resolved on demand; absent where no guest can call. */
  getGuestAccount?: () => Promise<GuestAccount | null>;
  /** The tenant the caller names (the URL's slug, sent by the client); membership decides the rest. */
  tenantSlug: string | null;
  /** Response details a procedure may set for HTTP transports (200 for an idempotent replay…). */
  response: { status?: number; headers: Record<string, string>; keyId?: string; tenantId?: string };
};

export type Meta = OpenApiMeta<{
  successStatus?: number;
  /** A 201 procedure that answers 200 with the first answer when the same request comes again. */
  replays?: boolean;
  permission?: Permission;
  /** A guest procedure: "account" needs a signed-in email, "enrolled" a guest of the café too. */
  guest?: "account" | "enrolled";
  /** A staff mutation still allowed while the café is read-only: paying, taking its data out. */
  whenReadOnly?: boolean;
}>;

const TRPC_CODES: Record<AppErrorCode, TRPCError["code"]> = {
  invalid_request: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  payment_required: "PAYMENT_REQUIRED",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  unprocessable: "UNPROCESSABLE_CONTENT",
  rate_limited: "TOO_MANY_REQUESTS",
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error }) {
      const cause = error.cause instanceof AppError ? error.cause : undefined;
      // An unexpected error's own message (SQL, constraint names) is for the logs, not the client.
      const message = error.code === "INTERNAL_SERVER_ERROR" ? "Internal error" : shape.message;
      return { ...shape, message, data: { ...shape.data, stack: undefined, reason: cause?.reason ?? null } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Services throw AppError; tRPC clients get the matching code, the cause keeps the reason. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODES[cause.code], message: cause.message, cause });
  }
  return result;
});

/**
 * Refuses an input holding text PostgreSQL cannot store (a NUL, a lone surrogate) as a 400 naming
 * the field, before validation: otherwise it would reach the database and fail there as a 500.
 * Each builder adds it after its own checks, so who is calling is answered first (401 before 400).
 */
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  const path = firstUnstorableText(await getRawInput());
  if (path !== null) {
    const message = "Text must not contain NUL characters or unpaired surrogates";
    throw new AppError("invalid_request", message, undefined, [{ path, message }]);
  }
  return next();
});

const anyone = t.procedure.use(appErrors);

/** Anyone: no identity, no tenant bound. */
export const publicProcedure = anyone.use(storableInput);

/** A failed procedure's result, thrown to roll its transaction back and then returned. */
class RolledBack<R> {
  constructor(readonly result: R) {}
}

/**
 * Runs a procedure in one transaction bound to `tenantId`. tRPC reports failures as results,
 * not exceptions, so a failed result is thrown through the transaction to roll it back.
 */
async function inTenantTransaction<R extends { ok: boolean }, Along extends Record<string, unknown>>(
  db: Database,
  tenantId: string,
  run: (tx: Tx, along: Along | null) => Promise<R>,
  readAlong?: SQL,
): Promise<R> {
  try {
    return await withTenant<R, Along>(
      tenantId,
      async (tx, along) => {
        const result = await run(tx, along);
        if (!result.ok) throw new RolledBack(result);
        return result;
      },
      db,
      readAlong,
    );
  } catch (error) {
    if (error instanceof RolledBack) return error.result as R;
    throw error;
  }
}

/**
 * A POS API key (`Authorization: Bearer zk_live_…`): 401 unless active, 429 over its rate, 402
 * unless the tenant's subscription is active; the procedure then runs in one transaction bound to
 * the key's tenant (RLS), with `ctx.pos` naming the tenant, location and key.
 */
export const posProcedure = anyone
  .use(async ({ ctx, next }) => {
    const pos = await identifyPosKey(ctx.db, ctx.headers.get("authorization"));
    ctx.response.keyId = pos.keyId;
    ctx.response.tenantId = pos.tenantId;
    await consumePosRateLimit(pos.keyId, pos.tenantId);
    // The key's, the subscription's and the program's state are read by the statement that binds the tenant.
    return inTenantTransaction(
      ctx.db,
      pos.tenantId,
      async (tx, keyState: PosKeyState | null) =>
        next({ ctx: { tx, pos, program: await posProgram(tx, pos.tenantId, keyState) } }),
      posKeyState(pos.keyId),
    );
  })
  .use(storableInput);

/**
 * A member of the named tenant allowed to `permission`, with 2FA where the role needs it: the
 * procedure runs in one transaction bound to that tenant, with `ctx.staff` (role, locations).
 * Signed out → UNAUTHORIZED; not a member (or no such tenant) → NOT_FOUND; denied → FORBIDDEN.
 */
export function staffProcedure(permission: Permission) {
  return anyone
    .meta({ permission })
    .use(async ({ ctx, next, type, meta }) => {
      const session = await ctx.getStaffSession();
      const tenant = ctx.tenantSlug ? await findTenantBySlug(ctx.tenantSlug, ctx.db) : null;
      const access = await resolveStaffAccess(ctx.db, session, tenant, permission);
      if (!access.ok) {
        const code = {
          signed_out: "UNAUTHORIZED",
          not_member: "NOT_FOUND",
          two_factor_required: "FORBIDDEN",
          forbidden: "FORBIDDEN",
        } as const;
        throw new TRPCError({ code: code[access.reason], message: access.reason });
      }
      const staff = access.staff;
      // Side effects outside the database (mail) happen only once the change is committed.
      return runAfterCommit((afterCommit) =>
        inTenantTransaction(ctx.db, staff.tenant.id, async (tx) => {
          // A café whose subscription lapsed keeps its data and exports, but changes nothing.
          if (type === "mutation" && !meta?.whenReadOnly) await assertWritable(tx);
          return next({ ctx: { tx, staff, afterCommit } });
        }),
      );
    })
    .use(storableInput);
}

/** Side effects (mail) to run once the procedure's transaction has committed. */
type AfterCommit = (task: () => Promise<unknown>) => void;

async function runAfterCommit<R extends { ok: boolean }>(run: (afterCommit: AfterCommit) => Promise<R>): Promise<R> {
  const tasks: (() => Promise<unknown>)[] = [];
  const result = await run((task) => tasks.push(task));
  if (result.ok) for (const task of tasks) await task();
  return result;
}

/**
 * A signed-in guest identity on the named café's storefront: runs in one transaction bound to
 * that café, with `ctx.account` (the proven email) and `ctx.guest`, the café's guest with that
 * email or null before enrolment. Signed out → UNAUTHORIZED; no such café → NOT_FOUND.
 */
export const guestAccountProcedure = anyone
  .meta({ guest: "account" })
  .use(async ({ ctx, next }) => {
    const account = (await ctx.getGuestAccount?.()) ?? null;
    if (!account) throw new TRPCError({ code: "UNAUTHORIZED", message: "signed_out" });
    const tenant = ctx.tenantSlug ? await findTenantBySlug(ctx.tenantSlug, ctx.db) : null;
    // A café whose storefront is not open yet has no guests' side (its staff may preview it).
    if (!tenant || !(await storefrontOpenTo(ctx.db, tenant, ctx.getStaffSession))) {
      throw new TRPCError({ code: "NOT_FOUND", message: "No such café" });
    }
    return runAfterCommit((afterCommit) =>
      inTenantTransaction(ctx.db, tenant.id, async (tx) => {
        const guest = await guestOfAccount(tx, account.email);
        return next({ ctx: { tx, tenant, account, guest, afterCommit } });
      }),
    );
  })
  .use(storableInput);

/**
 * An enrolled, active guest of the named café (`ctx.guest`), signed in by magic link. Signed
 * out → UNAUTHORIZED; not enrolled at this café yet → FORBIDDEN "enrolment_required"; a
 * blocked card → FORBIDDEN "guest_blocked".
 */
export const guestProcedure = guestAccountProcedure.meta({ guest: "enrolled" }).use(async ({ ctx, next }) => {
  const guest: Guest | null = ctx.guest;
  if (!guest) throw new TRPCError({ code: "FORBIDDEN", message: "enrolment_required" });
  if (onlineAccessClosed(guest)) throw new TRPCError({ code: "FORBIDDEN", message: "guest_blocked" });
  return next({ ctx: { guest } });
});
