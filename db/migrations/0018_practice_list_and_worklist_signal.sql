CREATE INDEX "practices_gestore_id_idx" ON "practices" USING btree ("gestore_id","id");--> statement-breakpoint
-- The worklist (docs/decisions/0058) is computed from these tables and cached by each web process;
-- any statement that changes one of them advances this sequence, so a cached worklist knows it is
-- stale at its next read. One nextval per statement (not per row), and no lock: writers never wait
-- on each other for it.
CREATE SEQUENCE worklist_change_seq;--> statement-breakpoint
CREATE FUNCTION worklist_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('worklist_change_seq');
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER practices_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON practices FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();--> statement-breakpoint
CREATE TRIGGER uploads_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON uploads FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();--> statement-breakpoint
CREATE TRIGGER threads_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON threads FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();--> statement-breakpoint
CREATE TRIGGER measures_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measures FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();--> statement-breakpoint
CREATE TRIGGER measure_gestori_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measure_gestori FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();--> statement-breakpoint
CREATE TRIGGER gestori_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gestori FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();--> statement-breakpoint
CREATE TRIGGER extra_holidays_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON extra_holidays FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
