CREATE TABLE "click_day_entries" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"click_day_id" uuid NOT NULL,
	"applicant_user_id" uuid NOT NULL,
	"send_key" uuid DEFAULT gen_random_uuid() NOT NULL,
	"ready_at" timestamp (3) with time zone NOT NULL,
	"rank" integer,
	"received_at" timestamp (6) with time zone,
	"within_quota" boolean,
	CONSTRAINT "click_day_entries_send_key_unique" UNIQUE("send_key"),
	CONSTRAINT "click_day_entries_sent_complete" CHECK (("click_day_entries"."rank" is null) = ("click_day_entries"."received_at" is null) and ("click_day_entries"."rank" is null) = ("click_day_entries"."within_quota" is null))
);
--> statement-breakpoint
CREATE TABLE "click_days" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"procedure_id" uuid NOT NULL,
	"label" varchar(200) NOT NULL,
	"opens_at" timestamp (0) with time zone NOT NULL,
	"closes_at" timestamp (0) with time zone,
	"quota" integer NOT NULL,
	"last_rank" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "click_days_quota_positive" CHECK ("click_days"."quota" > 0),
	CONSTRAINT "click_days_closes_after" CHECK ("click_days"."closes_at" is null or "click_days"."closes_at" > "click_days"."opens_at")
);
--> statement-breakpoint
ALTER TABLE "click_day_entries" ADD CONSTRAINT "click_day_entries_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "click_day_entries" ADD CONSTRAINT "click_day_entries_click_day_id_click_days_id_fk" FOREIGN KEY ("click_day_id") REFERENCES "public"."click_days"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "click_day_entries" ADD CONSTRAINT "click_day_entries_applicant_user_id_users_id_fk" FOREIGN KEY ("applicant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "click_days" ADD CONSTRAINT "click_days_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "click_day_entries_rank_uq" ON "click_day_entries" USING btree ("click_day_id","rank");--> statement-breakpoint
CREATE INDEX "click_day_entries_applicant_idx" ON "click_day_entries" USING btree ("applicant_user_id","click_day_id");--> statement-breakpoint
CREATE INDEX "click_days_procedure_idx" ON "click_days" USING btree ("procedure_id","opens_at");