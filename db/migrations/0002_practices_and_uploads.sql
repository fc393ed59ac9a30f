CREATE TYPE "public"."practice_history_kind" AS ENUM('created', 'transition', 'update');--> statement-breakpoint
CREATE TYPE "public"."practice_state" AS ENUM('PRESENTATA', 'IN_ISTRUTTORIA', 'SOSPESA', 'DELIBERATA', 'EROGATA', 'NON_AMMESSA', 'RINUNCIATA', 'REVOCATA');--> statement-breakpoint
CREATE TYPE "public"."upload_status" AS ENUM('processing', 'accepted', 'rejected');--> statement-breakpoint
CREATE TABLE "practice_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"practice_id" bigint NOT NULL,
	"kind" "practice_history_kind" NOT NULL,
	"from_state" "practice_state",
	"to_state" "practice_state" NOT NULL,
	"state_date" date NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"upload_id" uuid,
	"user_id" uuid,
	"changes" jsonb
);
--> statement-breakpoint
CREATE TABLE "practices" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "practices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"gestore_id" uuid NOT NULL,
	"code" varchar(50) NOT NULL,
	"measure_id" uuid NOT NULL,
	"beneficiary_fiscal_code" varchar(16) NOT NULL,
	"beneficiary_name" varchar(200) NOT NULL,
	"comune_code" varchar(6) NOT NULL,
	"submitted_on" date NOT NULL,
	"state" "practice_state" NOT NULL,
	"state_date" date NOT NULL,
	"amount_requested" numeric(15, 2) NOT NULL,
	"amount_approved" numeric(15, 2),
	"amount_disbursed" numeric(15, 2),
	"notes" varchar(500) DEFAULT '' NOT NULL,
	"snapshot" jsonb NOT NULL,
	"machine_version" integer NOT NULL,
	"last_upload_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upload_chunks" (
	"upload_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "upload_chunks_upload_id_seq_pk" PRIMARY KEY("upload_id","seq")
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"gestore_id" uuid NOT NULL,
	"uploaded_by" uuid,
	"channel" text NOT NULL,
	"file_name" text DEFAULT '' NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"status" "upload_status" DEFAULT 'processing' NOT NULL,
	"submission_id" varchar(50),
	"reference_date" date,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"records" integer DEFAULT 0 NOT NULL,
	"lines_read" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"transitioned" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "upload_chunks" ADD CONSTRAINT "upload_chunks_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_gestore_id_gestori_id_fk" FOREIGN KEY ("gestore_id") REFERENCES "public"."gestori"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "practice_history_practice_idx" ON "practice_history" USING btree ("practice_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "practices_gestore_code_uq" ON "practices" USING btree ("gestore_id","code");--> statement-breakpoint
CREATE INDEX "uploads_gestore_received_idx" ON "uploads" USING btree ("gestore_id","received_at");--> statement-breakpoint
CREATE INDEX "uploads_gestore_sha_idx" ON "uploads" USING btree ("gestore_id","sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "uploads_accepted_submission_uq" ON "uploads" USING btree ("gestore_id","submission_id") WHERE "uploads"."status" = 'accepted';