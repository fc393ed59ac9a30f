CREATE TABLE "audit_chain_heads" (
	"chain" smallint PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain" smallint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_chain_seq_idx" ON "audit_log" USING btree ("chain","seq");--> statement-breakpoint
-- Tamper evidence (docs/decisions/0039). Each row carries the hash of the previous row of its
-- chain and its own. 32 chains so concurrent transactions do not queue behind one another: a
-- transaction takes a free chain (SKIP LOCKED) and keeps it, locked, until it ends, so the chain
-- never forks (a rolled-back row leaves the head as it was) and never breaks.
CREATE FUNCTION audit_log_row_hash(r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    r.chain, r.seq, r.prev_hash, r.id, extract(epoch from r.at), r.actor_user_id, r.actor_fiscal_code, r.actor_role,
    r.action, r.object_type, r.object_id, r.gestore_id, r.outcome, r.ip, r.details)::text, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
INSERT INTO audit_chain_heads (chain, seq, hash) SELECT g, 0, '' FROM generate_series(0, 31) g;
--> statement-breakpoint
-- Rows written before this migration become the start of chain 0, in id order.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
--> statement-breakpoint
DO $$
DECLARE
  r audit_log;
  n bigint := 0;
  prev text := '';
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    n := n + 1;
    r.chain := 0; r.seq := n; r.prev_hash := prev;
    r.hash := audit_log_row_hash(r);
    UPDATE audit_log SET chain = 0, seq = n, prev_hash = prev, hash = r.hash WHERE id = r.id;
    prev := r.hash;
  END LOOP;
  UPDATE audit_chain_heads SET seq = n, hash = prev WHERE chain = 0;
END $$;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;
--> statement-breakpoint
-- SECURITY DEFINER: the application role may not write the heads itself.
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  taken smallint := nullif(current_setting('gestpratiche.audit_chain', true), '')::smallint;
  h audit_chain_heads;
BEGIN
  IF taken IS NULL THEN
    SELECT * INTO h FROM audit_chain_heads ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      -- Every chain is held by a running transaction: wait for one.
      SELECT * INTO h FROM audit_chain_heads WHERE chain = floor(random() * 32)::smallint FOR UPDATE;
    END IF;
    PERFORM set_config('gestpratiche.audit_chain', h.chain::text, true);
  ELSE
    SELECT * INTO h FROM audit_chain_heads WHERE chain = taken FOR UPDATE;
  END IF;
  NEW.chain := h.chain;
  NEW.seq := h.seq + 1;
  NEW.prev_hash := h.hash;
  NEW.hash := audit_log_row_hash(NEW);
  UPDATE audit_chain_heads SET seq = NEW.seq, hash = NEW.hash WHERE chain = h.chain;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
