ALTER TABLE "click_day_entries" ADD COLUMN "group_key" varchar(100);--> statement-breakpoint
ALTER TABLE "click_day_entries" ADD COLUMN "group_rank" integer;--> statement-breakpoint
ALTER TABLE "click_days" ADD COLUMN "group_by" varchar(10) DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "click_days" ADD COLUMN "group_field" varchar(100);--> statement-breakpoint
ALTER TABLE "click_days" ADD COLUMN "group_quotas" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "click_days" ADD COLUMN "group_last_ranks" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "click_days" ADD COLUMN "form_model_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "click_days" ADD COLUMN "assign_field" varchar(100);--> statement-breakpoint
ALTER TABLE "click_days" ADD COLUMN "assign_values" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "click_day_entries_group_rank_uq" ON "click_day_entries" USING btree ("click_day_id","group_key","group_rank");--> statement-breakpoint
ALTER TABLE "click_days" ADD CONSTRAINT "click_days_group_by" CHECK ("click_days"."group_by" in ('none', 'category', 'province') and ("click_days"."group_by" = 'none') = ("click_days"."group_field" is null));