ALTER TYPE "public"."upload_status" ADD VALUE 'failed';--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "phase" text DEFAULT 'waiting' NOT NULL;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "worker_pid" integer;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "worker_backend_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "failure_ref" varchar(20);--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "failure_cause" text;