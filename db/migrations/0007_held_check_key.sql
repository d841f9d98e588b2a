-- Holds made twice for one check before this key existed (POS retries): all but the first lose the
-- check's id, so the key can be built; they still expire or are voided as before. No hold may be
-- made meanwhile (servers of the old version keep serving), and RLS must not hide any: a role
-- without BYPASSRLS fails here instead of skipping rows.
LOCK TABLE "redemptions" IN SHARE ROW EXCLUSIVE MODE;--> statement-breakpoint
SET LOCAL row_security = off;--> statement-breakpoint
UPDATE "redemptions" AS "later" SET "external_check_id" = NULL
WHERE "later"."status" = 'held' AND "later"."external_check_id" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "redemptions" AS "first"
  WHERE "first"."tenant_id" = "later"."tenant_id" AND "first"."location_id" = "later"."location_id"
    AND "first"."guest_id" = "later"."guest_id" AND "first"."external_check_id" = "later"."external_check_id"
    AND "first"."status" = 'held' AND ("first"."created_at", "first"."id") < ("later"."created_at", "later"."id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_held_check_key" ON "redemptions" USING btree ("tenant_id","location_id","guest_id","external_check_id") WHERE "redemptions"."status" = 'held' and "redemptions"."external_check_id" is not null;
