CREATE TABLE "visibility_sheet" (
	"actor_type" varchar(20) NOT NULL,
	"category" varchar(20) NOT NULL,
	"level" varchar(20) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visibility_sheet_actor_type_category_pk" PRIMARY KEY("actor_type","category")
);
--> statement-breakpoint
-- Every process caches the sheet and listens on this channel to forget it (docs/decisions/0108).
CREATE FUNCTION visibility_sheet_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('visibility_sheet', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER visibility_sheet_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON visibility_sheet
  FOR EACH STATEMENT EXECUTE FUNCTION visibility_sheet_changed();
--> statement-breakpoint
ALTER TABLE "sftp_accounts" ALTER COLUMN "gestore_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sftp_accounts" ADD COLUMN "territory_level" "territory_level";--> statement-breakpoint
ALTER TABLE "sftp_accounts" ADD COLUMN "territory_code" varchar(20);--> statement-breakpoint
ALTER TABLE "sftp_accounts" ADD CONSTRAINT "sftp_accounts_owner" CHECK (("sftp_accounts"."gestore_id" is not null and "sftp_accounts"."territory_level" is null and "sftp_accounts"."territory_code" is null) or ("sftp_accounts"."gestore_id" is null and "sftp_accounts"."territory_level" is not null and "sftp_accounts"."territory_code" is not null));