ALTER TYPE "public"."role" ADD VALUE 'osservatore';--> statement-breakpoint
ALTER TABLE "accesses" DROP CONSTRAINT "accesses_scope_matches_role";--> statement-breakpoint
ALTER TABLE "accesses" ADD CONSTRAINT "accesses_scope_matches_role" CHECK (("accesses"."role" in ('gestore_operatore','gestore_referente') and "accesses"."gestore_id" is not null and "accesses"."org_unit_id" is null)
        or ("accesses"."role" in ('funzionario','dirigente') and "accesses"."org_unit_id" is not null and "accesses"."gestore_id" is null)
        or ("accesses"."role" in ('amministratore','osservatore') and "accesses"."gestore_id" is null));