ALTER TABLE "work_items" ALTER COLUMN "practice_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "work_items" ALTER COLUMN "gestore_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "application_files" ADD COLUMN "message_id" uuid;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "application_id" uuid;--> statement-breakpoint
ALTER TABLE "application_files" ADD CONSTRAINT "application_files_message_id_thread_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."thread_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_application_id_unique" UNIQUE("application_id");--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_practice_or_application" CHECK (("work_items"."practice_id" is null) <> ("work_items"."application_id" is null) and ("work_items"."practice_id" is null) = ("work_items"."gestore_id" is null));