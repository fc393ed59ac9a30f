ALTER TYPE "public"."role" ADD VALUE 'operatore_helpdesk';--> statement-breakpoint
CREATE TABLE "document_signatures" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"format" varchar(10) NOT NULL,
	"intact" boolean NOT NULL,
	"problem" text,
	"signers" jsonb NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "helpdesk_queues" (
	"category" varchar(20) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"org_unit_id" uuid,
	"first_answer_hours" integer DEFAULT 8 NOT NULL,
	"resolution_hours" integer DEFAULT 40 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"message_id" uuid,
	"file_name" varchar(200) NOT NULL,
	"content_type" varchar(100) NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"side" varchar(12) NOT NULL,
	"kind" varchar(30) NOT NULL,
	"author_user_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" varchar(20) NOT NULL,
	"category" varchar(20) NOT NULL,
	"state" varchar(20) NOT NULL,
	"channel" varchar(10) NOT NULL,
	"subject" varchar(200) NOT NULL,
	"sender_name" text NOT NULL,
	"sender_email" text NOT NULL,
	"sender_phone" varchar(30),
	"sender_user_id" uuid,
	"subject_kind" varchar(20),
	"subject_ref" varchar(64),
	"assignee_user_id" uuid,
	"follow_token_hash" varchar(64),
	"first_answered_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"snapshot" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_number_unique" UNIQUE("number"),
	CONSTRAINT "tickets_follow_token_hash_unique" UNIQUE("follow_token_hash"),
	CONSTRAINT "tickets_subject_pair" CHECK (("tickets"."subject_kind" is null) = ("tickets"."subject_ref" is null))
);
--> statement-breakpoint
CREATE TABLE "trusted_certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject" text NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"der" "bytea" NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"added_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trusted_certificates_sha256_unique" UNIQUE("sha256")
);
--> statement-breakpoint
ALTER TABLE "accesses" DROP CONSTRAINT "accesses_scope_matches_role";--> statement-breakpoint
ALTER TABLE "enablement_requests" DROP CONSTRAINT "enablement_requests_scope_matches_role";--> statement-breakpoint
ALTER TABLE "document_signatures" ADD CONSTRAINT "document_signatures_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpdesk_queues" ADD CONSTRAINT "helpdesk_queues_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_attachments" ADD CONSTRAINT "ticket_attachments_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_attachments" ADD CONSTRAINT "ticket_attachments_message_id_ticket_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."ticket_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_category_helpdesk_queues_category_fk" FOREIGN KEY ("category") REFERENCES "public"."helpdesk_queues"("category") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_sender_user_id_users_id_fk" FOREIGN KEY ("sender_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_assignee_user_id_users_id_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trusted_certificates" ADD CONSTRAINT "trusted_certificates_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_attachments_ticket_idx" ON "ticket_attachments" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_messages_ticket_idx" ON "ticket_messages" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_queue_idx" ON "tickets" USING btree ("category","state","created_at");--> statement-breakpoint
CREATE INDEX "tickets_sender_idx" ON "tickets" USING btree ("sender_user_id","created_at");--> statement-breakpoint
-- PostgreSQL 15 refuses a new enum value in the transaction that added it ("unsafe use of new
-- value"), so the constraints compare the new role as text; same meaning as db/schema.ts.
ALTER TABLE "accesses" ADD CONSTRAINT "accesses_scope_matches_role" CHECK ((("accesses"."role" in ('gestore_operatore','gestore_referente') and "accesses"."gestore_id" is not null and "accesses"."org_unit_id" is null)
        or ("accesses"."role" in ('funzionario','dirigente') and "accesses"."org_unit_id" is not null and "accesses"."gestore_id" is null)
        or ("accesses"."role" in ('amministratore','osservatore') and "accesses"."gestore_id" is null)
        or ("accesses"."role"::text = 'richiedente' and "accesses"."gestore_id" is null and "accesses"."org_unit_id" is null and "accesses"."territory_level" is null)
        or ("accesses"."role"::text = 'referente_regionale' and "accesses"."territory_level" = 'regione')
        or ("accesses"."role"::text = 'amministratore_ats' and "accesses"."territory_level" = 'ats')
        or ("accesses"."role"::text = 'operatore_territoriale' and "accesses"."territory_level" is not null)
        or ("accesses"."role"::text = 'operatore_helpdesk' and "accesses"."org_unit_id" is not null and "accesses"."gestore_id" is null and "accesses"."territory_level" is null))
        and (("accesses"."territory_level" is null) = ("accesses"."territory_code" is null))
        and ("accesses"."territory_level" is null or ("accesses"."gestore_id" is null and "accesses"."org_unit_id" is null)));--> statement-breakpoint
ALTER TABLE "enablement_requests" ADD CONSTRAINT "enablement_requests_scope_matches_role" CHECK (("enablement_requests"."role"::text in ('gestore_operatore','gestore_referente') and "enablement_requests"."gestore_id" is not null and "enablement_requests"."org_unit_id" is null)
        or ("enablement_requests"."role"::text in ('funzionario','dirigente','operatore_helpdesk') and "enablement_requests"."org_unit_id" is not null and "enablement_requests"."gestore_id" is null));--> statement-breakpoint
-- One queue per category; an administrator assigns each to the org unit whose operators work it.
INSERT INTO "helpdesk_queues" ("category", "name") VALUES
  ('tecnica', 'Assistenza tecnica'),
  ('funzionale', 'Assistenza funzionale'),
  ('giuridica', 'Assistenza giuridica');
--> statement-breakpoint
-- A ticket's messages and attachments are its record: never edited, never deleted.
CREATE TRIGGER ticket_messages_no_update_delete BEFORE UPDATE OR DELETE ON ticket_messages
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ticket_attachments_no_update_delete BEFORE UPDATE OR DELETE ON ticket_attachments
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
