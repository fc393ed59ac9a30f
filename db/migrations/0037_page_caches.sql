-- What every page's layout and the practice list's and dashboard's filters read, kept by each web
-- process until a notification on the trigger's channel says it changed (db/notified-cache.ts,
-- docs/decisions/0073). One function; each trigger names its channel.
CREATE FUNCTION notify_cache_channel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_ARGV[0], '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER branding_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON branding
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_channel('branding');
--> statement-breakpoint
CREATE TRIGGER measures_filter_options_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measures
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_channel('filter_options');
--> statement-breakpoint
CREATE TRIGGER gestori_filter_options_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gestori
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_channel('filter_options');
