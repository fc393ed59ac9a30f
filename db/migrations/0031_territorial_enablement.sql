CREATE TABLE "region_settings" (
	"region_code" varchar(2) PRIMARY KEY NOT NULL,
	"user_quota" integer DEFAULT 8 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enablement_requests" DROP CONSTRAINT "enablement_requests_scope_matches_role";--> statement-breakpoint
DROP INDEX "enablement_requests_one_pending";--> statement-breakpoint
ALTER TABLE "ats" ADD COLUMN "user_quota" integer DEFAULT 8 NOT NULL;--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD COLUMN "territory_level" "territory_level";--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD COLUMN "territory_code" varchar(20);--> statement-breakpoint
CREATE UNIQUE INDEX "enablement_requests_one_pending" ON "enablement_requests" USING btree ("fiscal_code","role",coalesce("gestore_id"::text, "org_unit_id"::text, "territory_code", '')) WHERE "enablement_requests"."state" = 'submitted';--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD CONSTRAINT "enablement_requests_scope_matches_role" CHECK ((("enablement_requests"."role" in ('gestore_operatore','gestore_referente') and "enablement_requests"."gestore_id" is not null and "enablement_requests"."org_unit_id" is null)
        or ("enablement_requests"."role" in ('funzionario','dirigente','operatore_helpdesk') and "enablement_requests"."org_unit_id" is not null and "enablement_requests"."gestore_id" is null)
        or ("enablement_requests"."role"::text = 'operatore_territoriale' and "enablement_requests"."territory_level" is not null and "enablement_requests"."gestore_id" is null and "enablement_requests"."org_unit_id" is null))
        and (("enablement_requests"."territory_level" is null) = ("enablement_requests"."territory_code" is null)));