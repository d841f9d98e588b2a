import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { findGuestAsTyped } from "./lookup";

/**
 * Closes (or opens again) a guest's online access at the café bound to `tx`: while closed, their
 * signed-in sessions open no cabinet, place no online order and follow no order here (other cafés
 * are untouched). The card keeps working at the till — its points are the guest's. Audited.
 */
export async function setGuestOnlineAccess(
  tx: Tx,
  input: { tenantId: string; identifier: string; blocked: boolean; actor: { userId: string; ip: string | null } },
): Promise<{ blocked: boolean }> {
  const guest = await findGuestAsTyped(tx, input.identifier);
  if (!guest) throw new AppError("not_found", "No such guest", "guest_not_found");
  await tx
    .update(guests)
    .set({
      onlineBlockedAt: input.blocked ? sql`coalesce(${guests.onlineBlockedAt}, now())` : null,
      updatedAt: sql`now()`,
    })
    .where(eq(guests.id, guest.id));
  if (Boolean(guest.onlineBlockedAt) !== input.blocked) {
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorUserId: input.actor.userId,
      ip: input.actor.ip,
      action: input.blocked ? "guest.online_blocked" : "guest.online_unblocked",
      targetType: "guest",
      targetId: guest.id,
    });
  }
  return { blocked: input.blocked };
}
