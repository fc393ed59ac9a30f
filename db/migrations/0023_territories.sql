CREATE TYPE "public"."territory_level" AS ENUM('regione', 'ats', 'comune');--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'referente_regionale';--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'amministratore_ats';--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'operatore_territoriale';--> statement-breakpoint
CREATE TABLE "ats" (
	"code" varchar(20) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region_code" varchar(2) NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "comune_ats" (
	"comune_code" varchar(6) NOT NULL,
	"ats_code" varchar(20) NOT NULL,
	"valid_from" date NOT NULL,
	CONSTRAINT "comune_ats_comune_code_valid_from_pk" PRIMARY KEY("comune_code","valid_from")
);
--> statement-breakpoint
CREATE TABLE "pseudonym_keys" (
	"body" varchar(40) PRIMARY KEY NOT NULL,
	"key" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accesses" DROP CONSTRAINT "accesses_scope_matches_role";--> statement-breakpoint
ALTER TABLE "accesses" ADD COLUMN "territory_level" "territory_level";--> statement-breakpoint
ALTER TABLE "accesses" ADD COLUMN "territory_code" varchar(20);--> statement-breakpoint
ALTER TABLE "comune_ats" ADD CONSTRAINT "comune_ats_comune_code_comuni_code_fk" FOREIGN KEY ("comune_code") REFERENCES "public"."comuni"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comune_ats" ADD CONSTRAINT "comune_ats_ats_code_ats_code_fk" FOREIGN KEY ("ats_code") REFERENCES "public"."ats"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comune_ats_ats_idx" ON "comune_ats" USING btree ("ats_code");--> statement-breakpoint
-- The role as text: PostgreSQL 15 refuses a new enum value in the transaction that added it (as 0011).
ALTER TABLE "accesses" ADD CONSTRAINT "accesses_scope_matches_role" CHECK ((("accesses"."role"::text in ('gestore_operatore','gestore_referente') and "accesses"."gestore_id" is not null and "accesses"."org_unit_id" is null)
        or ("accesses"."role"::text in ('funzionario','dirigente') and "accesses"."org_unit_id" is not null and "accesses"."gestore_id" is null)
        or ("accesses"."role"::text in ('amministratore','osservatore') and "accesses"."gestore_id" is null)
        or ("accesses"."role"::text = 'richiedente' and "accesses"."gestore_id" is null and "accesses"."org_unit_id" is null and "accesses"."territory_level" is null)
        or ("accesses"."role"::text = 'referente_regionale' and "accesses"."territory_level" = 'regione')
        or ("accesses"."role"::text = 'amministratore_ats' and "accesses"."territory_level" = 'ats')
        or ("accesses"."role"::text = 'operatore_territoriale' and "accesses"."territory_level" is not null))
        and (("accesses"."territory_level" is null) = ("accesses"."territory_code" is null))
        and ("accesses"."territory_level" is null or ("accesses"."gestore_id" is null and "accesses"."org_unit_id" is null)));
--> statement-breakpoint
-- The ATS of a municipality on a day: the row in force then, or the first one for a day before
-- any (issue 19, ADR 81). A practice counts for the ATS of its municipality on its submission day.
CREATE FUNCTION ats_of(comune varchar, day date) RETURNS varchar LANGUAGE sql STABLE AS $$
  select ats_code from comune_ats where comune_code = comune
  order by (valid_from <= day) desc, case when valid_from <= day then valid_from end desc nulls last, valid_from
  limit 1
$$;
