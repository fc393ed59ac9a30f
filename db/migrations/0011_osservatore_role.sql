ALTER TYPE "public"."role" ADD VALUE 'osservatore';--> statement-breakpoint
ALTER TABLE "accesses" DROP CONSTRAINT "accesses_scope_matches_role";--> statement-breakpoint
-- PostgreSQL 15 refuses a new enum value in the transaction that added it ("unsafe use of new
-- value"), so the constraint compares the role as text; same meaning as db/schema.ts.
ALTER TABLE "accesses" ADD CONSTRAINT "accesses_scope_matches_role" CHECK (("accesses"."role"::text in ('gestore_operatore','gestore_referente') and "accesses"."gestore_id" is not null and "accesses"."org_unit_id" is null)
        or ("accesses"."role"::text in ('funzionario','dirigente') and "accesses"."org_unit_id" is not null and "accesses"."gestore_id" is null)
        or ("accesses"."role"::text in ('amministratore','osservatore') and "accesses"."gestore_id" is null));
