ALTER TABLE "branding" ADD COLUMN "logo_bytes" "bytea";--> statement-breakpoint
ALTER TABLE "branding" ADD COLUMN "logo_type" varchar(40);--> statement-breakpoint
ALTER TABLE "branding" ADD COLUMN "logo_sha256" varchar(64);