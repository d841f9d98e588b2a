import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guestImportMappings } from "@/db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import type { Actor } from "./batches";

/**
 * Deletes a column mapping the café saved for its next files (audited). Imports that used it keep
 * their own copy of the mapping, so nothing else changes. Another café's mapping is not found (RLS).
 */
export async function deleteMapping(tx: Tx, tenantId: string, mappingId: string, actor: Actor) {
  const [deleted] = await tx
    .delete(guestImportMappings)
    .where(eq(guestImportMappings.id, mappingId))
    .returning({ id: guestImportMappings.id, name: guestImportMappings.name, columns: guestImportMappings.columns });
  if (!deleted) throw new AppError("not_found", "No such saved mapping", "mapping_not_found");
  await recordAudit(tx, {
    tenantId,
    actorKind: actor.kind,
    actorUserId: actor.userId ?? null,
    ip: actor.ip ?? null,
    action: "guests.import_mapping_deleted",
    targetType: "guest_import_mapping",
    targetId: deleted.id,
    meta: { name: deleted.name, columns: deleted.columns },
  });
  return { id: deleted.id, name: deleted.name };
}
