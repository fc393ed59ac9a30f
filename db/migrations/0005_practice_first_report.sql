-- The first report of a practice moves from a "created" history row onto the practice row.
ALTER TABLE "practices" ADD COLUMN "first_state" "practice_state";--> statement-breakpoint
ALTER TABLE "practices" ADD COLUMN "first_state_date" date;--> statement-breakpoint
ALTER TABLE "practices" ADD COLUMN "first_upload_id" uuid;--> statement-breakpoint
UPDATE "practices" p SET "first_state" = h."to_state", "first_state_date" = h."state_date", "first_upload_id" = h."upload_id"
  FROM "practice_history" h WHERE h."practice_id" = p."id" AND h."kind" = 'created';--> statement-breakpoint
UPDATE "practices" SET "first_state" = "state", "first_state_date" = "state_date" WHERE "first_state" IS NULL;--> statement-breakpoint
ALTER TABLE "practices" ALTER COLUMN "first_state" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "practices" ALTER COLUMN "first_state_date" SET NOT NULL;--> statement-breakpoint
-- A file commonly moves every practice of its gestore: with half of each page free, a whole
-- file's updates stay in place (HOT) and the next file finds room again once the old versions
-- are pruned.
ALTER TABLE "practices" SET (fillfactor = 50);
