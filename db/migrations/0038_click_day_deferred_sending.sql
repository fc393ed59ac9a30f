ALTER TABLE "click_day_entries" ADD COLUMN "number" varchar(30);--> statement-breakpoint
ALTER TABLE "click_day_entries" ADD COLUMN "sent_by" jsonb;--> statement-breakpoint
ALTER TABLE "click_day_entries" ADD COLUMN "ready_refusal" varchar(500);--> statement-breakpoint
ALTER TABLE "click_day_entries" ADD COLUMN "completed_at" timestamp (3) with time zone;--> statement-breakpoint
-- Entries sent before deferred sending (ADR 64) were completed in their own transaction.
UPDATE "click_day_entries" e SET "number" = a."number", "completed_at" = e."received_at" FROM "applications" a WHERE a."id" = e."application_id" AND e."rank" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "click_day_entries_to_complete_idx" ON "click_day_entries" USING btree ("click_day_id","rank") WHERE "click_day_entries"."rank" is not null and "click_day_entries"."completed_at" is null;--> statement-breakpoint
ALTER TABLE "click_day_entries" ADD CONSTRAINT "click_day_entries_completed_sent" CHECK ("click_day_entries"."completed_at" is null or "click_day_entries"."rank" is not null);