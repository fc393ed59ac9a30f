ALTER TYPE "public"."role" ADD VALUE 'richiedente';--> statement-breakpoint
CREATE TABLE "local_account_links" (
	"token_hash" varchar(64) PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" varchar(20) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "local_accounts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"email_verified_at" timestamp with time zone,
	"totp_secret" text,
	"totp_enrolled_at" timestamp with time zone,
	"totp_last_step" bigint,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "local_accounts_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "local_recovery_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" varchar(64) NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accesses" DROP CONSTRAINT "accesses_scope_matches_role";--> statement-breakpoint
ALTER TABLE "local_account_links" ADD CONSTRAINT "local_account_links_user_id_local_accounts_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."local_accounts"("user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "local_accounts" ADD CONSTRAINT "local_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "local_recovery_codes" ADD CONSTRAINT "local_recovery_codes_user_id_local_accounts_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."local_accounts"("user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "local_account_links_user_idx" ON "local_account_links" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "local_recovery_codes_user_idx" ON "local_recovery_codes" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "accesses" ADD CONSTRAINT "accesses_scope_matches_role" CHECK (("accesses"."role" in ('gestore_operatore','gestore_referente') and "accesses"."gestore_id" is not null and "accesses"."org_unit_id" is null)
        or ("accesses"."role" in ('funzionario','dirigente') and "accesses"."org_unit_id" is not null and "accesses"."gestore_id" is null)
        or ("accesses"."role" in ('amministratore','osservatore') and "accesses"."gestore_id" is null)
        or ("accesses"."role"::text = 'richiedente' and "accesses"."gestore_id" is null and "accesses"."org_unit_id" is null));--> statement-breakpoint
-- Officials never use local accounts (ADR 0067): a person with a local password holds the role
-- richiedente and nothing else, whichever code path grants an access.
CREATE FUNCTION local_account_only_applicant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'accesses' THEN
    IF NEW.role::text <> 'richiedente' AND EXISTS (SELECT 1 FROM local_accounts WHERE user_id = NEW.user_id) THEN
      RAISE EXCEPTION 'un account locale può avere solo il ruolo richiedente' USING ERRCODE = 'check_violation';
    END IF;
  ELSIF EXISTS (SELECT 1 FROM accesses WHERE user_id = NEW.user_id AND role::text <> 'richiedente') THEN
    RAISE EXCEPTION 'un account locale può avere solo il ruolo richiedente' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER accesses_local_account_only_applicant BEFORE INSERT OR UPDATE OF role, user_id ON accesses
  FOR EACH ROW EXECUTE FUNCTION local_account_only_applicant();--> statement-breakpoint
CREATE TRIGGER local_accounts_only_applicant BEFORE INSERT OR UPDATE OF user_id ON local_accounts
  FOR EACH ROW EXECUTE FUNCTION local_account_only_applicant();
