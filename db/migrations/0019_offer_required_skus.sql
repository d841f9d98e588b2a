ALTER TABLE "guest_offers" ADD COLUMN "required_skus" text[];--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "required_skus" text[] DEFAULT '{}'::text[] NOT NULL;