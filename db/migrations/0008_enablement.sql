CREATE TYPE "public"."enablement_request_state" AS ENUM('submitted', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TABLE "enablement_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"state" "enablement_request_state" DEFAULT 'submitted' NOT NULL,
	"role" "role" NOT NULL,
	"gestore_id" uuid,
	"org_unit_id" uuid,
	"fiscal_code" varchar(16) NOT NULL,
	"name" text NOT NULL,
	"surname" text NOT NULL,
	"email" text NOT NULL,
	"name_mismatch_confirmed" boolean DEFAULT false NOT NULL,
	"requested_by" uuid NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reason" text,
	"user_id" uuid,
	"access_id" uuid,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enablement_requests_scope_matches_role" CHECK (("enablement_requests"."role" in ('gestore_operatore','gestore_referente') and "enablement_requests"."gestore_id" is not null and "enablement_requests"."org_unit_id" is null)
        or ("enablement_requests"."role" in ('funzionario','dirigente') and "enablement_requests"."org_unit_id" is not null and "enablement_requests"."gestore_id" is null))
);
--> statement-breakpoint
CREATE TABLE "machine_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"machine" varchar(40) NOT NULL,
	"object_id" uuid NOT NULL,
	"event" varchar(40) NOT NULL,
	"from_state" varchar(40),
	"to_state" varchar(40) NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"actor_role" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accesses" ADD COLUMN "snapshot" jsonb;--> statement-breakpoint
ALTER TABLE "org_units" ADD COLUMN "user_quota" integer DEFAULT 8 NOT NULL;--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD CONSTRAINT "enablement_requests_gestore_id_gestori_id_fk" FOREIGN KEY ("gestore_id") REFERENCES "public"."gestori"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD CONSTRAINT "enablement_requests_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD CONSTRAINT "enablement_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD CONSTRAINT "enablement_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD CONSTRAINT "enablement_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD CONSTRAINT "enablement_requests_access_id_accesses_id_fk" FOREIGN KEY ("access_id") REFERENCES "public"."accesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enablement_requests_state_idx" ON "enablement_requests" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "enablement_requests_fiscal_code_idx" ON "enablement_requests" USING btree ("fiscal_code");--> statement-breakpoint
CREATE INDEX "enablement_requests_access_idx" ON "enablement_requests" USING btree ("access_id");--> statement-breakpoint
CREATE UNIQUE INDEX "enablement_requests_one_pending" ON "enablement_requests" USING btree ("fiscal_code","role",coalesce("gestore_id", "org_unit_id")) WHERE "enablement_requests"."state" = 'submitted';--> statement-breakpoint
CREATE INDEX "machine_history_object_idx" ON "machine_history" USING btree ("machine","object_id","id");