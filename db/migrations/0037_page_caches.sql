-- What every page's layout and the practice list's filter read, kept by each web process until
-- these notifications say it changed (db/notified-cache.ts, docs/decisions/0073).
CREATE FUNCTION notify_branding_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('branding', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER branding_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON branding
  FOR EACH STATEMENT EXECUTE FUNCTION notify_branding_changed();
--> statement-breakpoint
CREATE FUNCTION notify_filter_options_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('filter_options', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER measures_filter_options_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measures
  FOR EACH STATEMENT EXECUTE FUNCTION notify_filter_options_changed();
--> statement-breakpoint
CREATE TRIGGER gestori_filter_options_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gestori
  FOR EACH STATEMENT EXECUTE FUNCTION notify_filter_options_changed();
