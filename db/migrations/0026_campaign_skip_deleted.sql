ALTER TYPE "public"."campaign_skip_reason" ADD VALUE 'deleted';--> statement-breakpoint
ALTER TYPE "public"."campaign_skip_reason" ADD VALUE 'archived';--> statement-breakpoint
-- Guests deleted before this release: their campaign mail's delivery events keep only what results
-- need (the same as server/cabinet/profile.ts deleteGuestAccount does from now on).
UPDATE "message_events" e
   SET "payload" = jsonb_strip_nulls(jsonb_build_object(
         'type', e."type",
         'created_at', e."payload"->'created_at',
         'data', jsonb_build_object(
           'email_id', e."payload"->'data'->'email_id',
           'created_at', e."payload"->'data'->'created_at',
           'tags', jsonb_build_object('tenant_id', e."tenant_id", 'send_id', e."send_id"),
           'bounce', CASE WHEN jsonb_typeof(e."payload"->'data'->'bounce') = 'object' THEN jsonb_build_object(
             'type', e."payload"->'data'->'bounce'->'type', 'subType', e."payload"->'data'->'bounce'->'subType') END)))
 WHERE e."send_id" IN (SELECT s."id" FROM "campaign_sends" s JOIN "guests" g ON g."id" = s."guest_id"
                        WHERE g."deleted_at" IS NOT NULL);
