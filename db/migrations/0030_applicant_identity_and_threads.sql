CREATE TABLE "contact_email_links" (
	"token_hash" varchar(64) PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "thread_messages" ALTER COLUMN "side" SET DATA TYPE varchar(12);--> statement-breakpoint
ALTER TABLE "threads" ALTER COLUMN "gestore_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "applicant_profiles" ADD COLUMN "business_name" varchar(200);--> statement-breakpoint
ALTER TABLE "applicant_profiles" ADD COLUMN "business_code" varchar(16);--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "on_behalf_of" jsonb;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "application_id" uuid;--> statement-breakpoint
ALTER TABLE "contact_email_links" ADD CONSTRAINT "contact_email_links_user_id_applicant_profiles_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."applicant_profiles"("user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_email_links_user_idx" ON "contact_email_links" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "threads" ADD CONSTRAINT "threads_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "threads_one_per_application" ON "threads" USING btree ("application_id") WHERE "threads"."application_id" is not null;--> statement-breakpoint
ALTER TABLE "threads" ADD CONSTRAINT "threads_gestore_or_application" CHECK (("threads"."gestore_id" is null) <> ("threads"."application_id" is null));