-- Receipts, refunds and claims note what they change in analytics_changes, the queue the roll-up job
-- (server/analytics/rollups.ts) consumes, in the writer's own transaction. Insert-only: no queue row
-- is ever updated or locked by a writer, so parallel receipts never wait on each other here.
-- Statement-level on inserts (one insert per statement whatever its row count: the seed and
-- imports write receipts in bulk); the functions run as the writer, so RLS checks the tenant.
-- Orders need no trigger: a picked-up order becomes an online receipt (noted here), and an order's
-- other states feed no roll-up (open orders are read live).
CREATE FUNCTION analytics_note_receipts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_changes (tenant_id, guest_id, location_id, occurred_at)
  SELECT tenant_id, guest_id, location_id, occurred_at FROM new_receipts;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER receipts_analytics AFTER INSERT ON receipts
  REFERENCING NEW TABLE AS new_receipts FOR EACH STATEMENT EXECUTE FUNCTION analytics_note_receipts();
--> statement-breakpoint
-- A claim (or any other change of a receipt's guest) moves the receipt between two guests' figures.
CREATE FUNCTION analytics_note_receipt_guest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_changes (tenant_id, guest_id, location_id, occurred_at)
  VALUES (NEW.tenant_id, NEW.guest_id, NEW.location_id, NEW.occurred_at);
  IF OLD.guest_id IS NOT NULL THEN
    INSERT INTO analytics_changes (tenant_id, guest_id, location_id, occurred_at)
    VALUES (NEW.tenant_id, OLD.guest_id, NEW.location_id, NEW.occurred_at);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER receipts_guest_analytics AFTER UPDATE OF guest_id ON receipts
  FOR EACH ROW WHEN (OLD.guest_id IS DISTINCT FROM NEW.guest_id) EXECUTE FUNCTION analytics_note_receipt_guest();
--> statement-breakpoint
-- A refund counts at its own place and time, and lowers the spend of the receipt's guest.
CREATE FUNCTION analytics_note_refunds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_changes (tenant_id, guest_id, location_id, occurred_at)
  SELECT n.tenant_id, r.guest_id, n.location_id, n.created_at
  FROM new_refunds n LEFT JOIN receipts r ON r.tenant_id = n.tenant_id AND r.id = n.receipt_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER refunds_analytics AFTER INSERT ON refunds
  REFERENCING NEW TABLE AS new_refunds FOR EACH STATEMENT EXECUTE FUNCTION analytics_note_refunds();
--> statement-breakpoint
-- The cafés with changes waiting, for the roll-up job (each café's work then runs bound to it).
CREATE FUNCTION analytics_pending_tenants()
RETURNS TABLE (tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT tenant_id FROM analytics_changes
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION analytics_pending_tenants() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION analytics_pending_tenants() TO zerno_app;
--> statement-breakpoint
-- The nightly step rewrites guests' rhythm columns, which no index covers: room on each page lets
-- those be HOT updates (no index entries written).
ALTER TABLE guest_stats SET (fillfactor = 70);
