CREATE TABLE "sftp_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" varchar(32) NOT NULL,
	"gestore_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"public_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"password_hash" text,
	"allowed_cidrs" text[] NOT NULL,
	"receipt_mail" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "sftp_accounts_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "sftp_uploads" (
	"upload_id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"outcome_read_at" timestamp with time zone,
	"errors_read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "accesses" DROP CONSTRAINT "accesses_scope_matches_role";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "outcome_mail" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "sftp_accounts" ADD CONSTRAINT "sftp_accounts_gestore_id_gestori_id_fk" FOREIGN KEY ("gestore_id") REFERENCES "public"."gestori"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sftp_accounts" ADD CONSTRAINT "sftp_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sftp_accounts" ADD CONSTRAINT "sftp_accounts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sftp_uploads" ADD CONSTRAINT "sftp_uploads_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sftp_uploads" ADD CONSTRAINT "sftp_uploads_account_id_sftp_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sftp_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sftp_accounts_gestore_idx" ON "sftp_accounts" USING btree ("gestore_id");--> statement-breakpoint
CREATE INDEX "sftp_uploads_account_idx" ON "sftp_uploads" USING btree ("account_id");--> statement-breakpoint
ALTER TABLE "accesses" ADD CONSTRAINT "accesses_scope_matches_role" CHECK ((("accesses"."role" in ('gestore_operatore','gestore_referente') and "accesses"."gestore_id" is not null and "accesses"."org_unit_id" is null)
        or ("accesses"."role" in ('funzionario','dirigente') and "accesses"."org_unit_id" is not null and "accesses"."gestore_id" is null)
        or ("accesses"."role" in ('amministratore','osservatore') and "accesses"."gestore_id" is null)
        or ("accesses"."role"::text = 'richiedente' and "accesses"."gestore_id" is null and "accesses"."org_unit_id" is null and "accesses"."territory_level" is null)
        or ("accesses"."role"::text = 'referente_regionale' and "accesses"."territory_level" = 'regione')
        or ("accesses"."role"::text = 'amministratore_ats' and "accesses"."territory_level" = 'ats')
        or ("accesses"."role"::text = 'operatore_territoriale' and "accesses"."territory_level" is not null))
        and (("accesses"."territory_level" is null) = ("accesses"."territory_code" is null))
        and ("accesses"."territory_level" is null or ("accesses"."gestore_id" is null and "accesses"."org_unit_id" is null)));