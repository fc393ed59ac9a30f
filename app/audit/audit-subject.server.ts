import { sql } from "drizzle-orm";
import { csvLine, CSV_BOM } from "~/lib/csv";
import { InputError } from "~/lib/errors";
import { isValidFiscalCode, normalizeFiscalCode } from "~/lib/fiscal-code";
import type { DbOrTx } from "~db/client";
import { AUDIT_CSV_HEADER, auditCsvCells } from "./audit-csv";
import { audit } from "./audit.server";

const HEADER = [...AUDIT_CSV_HEADER, "Perché riguarda la persona"];

/**
 * Every audit row about one person, for a data-subject access request: what they did, and what
 * was done to them — their user, accesses, API tokens, enablement requests and the practices of
 * which they are the beneficiary — plus any row whose details name their codice fiscale.
 * CSV for Excel (`;`, dd/mm/yyyy, Europe/Rome); the export itself is audited.
 */
export async function exportSubjectAuditCsv(db: DbOrTx, who: Parameters<typeof audit>[1], rawCf: string) {
  const cf = normalizeFiscalCode(rawCf);
  if (!isValidFiscalCode(cf)) throw new InputError("Codice fiscale non valido");
  const rows = await db.execute<{ id: string; at: string; actor_fiscal_code: string | null; actor_role: string | null; action: string; object_type: string | null; object_id: string | null; outcome: string; ip: string | null; details: string; why: string }>(sql`
    with person as (select id from users where fiscal_code = ${cf}),
    objects(object_type, object_id) as (
      select 'user', id::text from person
      union all select 'access', a.id::text from accesses a join person p on p.id = a.user_id
      union all select 'api_token', t.id::text from api_tokens t join person p on p.id = t.user_id
      union all select 'enablement_request', r.id::text from enablement_requests r where r.fiscal_code = ${cf}
      union all select 'practice', pr.id::text from practices pr where pr.beneficiary_fiscal_code = ${cf}
    )
    select a.id::text, a.at, a.actor_fiscal_code, a.actor_role,
           a.action, a.object_type, a.object_id, a.outcome, a.ip, a.details::text as details,
           case when a.actor_fiscal_code = ${cf} or a.actor_user_id in (select id from person) then 'ha agito'
                when (a.object_type, a.object_id) in (select object_type, object_id from objects) then 'oggetto dell''azione'
                else 'citata nei dettagli' end as why
      from audit_log a
     where a.actor_fiscal_code = ${cf}
        or a.actor_user_id in (select id from person)
        or (a.object_type, a.object_id) in (select object_type, object_id from objects)
        or strpos(a.details::text, ${cf}) > 0
     order by a.at, a.id`);
  await audit(db, who, { action: "audit.subject_export", details: { rows: rows.length } });
  const lines = rows.map((r) =>
    csvLine([
      ...auditCsvCells({ id: r.id, at: new Date(r.at), actorFiscalCode: r.actor_fiscal_code, actorRole: r.actor_role, action: r.action, objectType: r.object_type, objectId: r.object_id, outcome: r.outcome, ip: r.ip, details: r.details }),
      r.why,
    ]),
  );
  return { rows: rows.length, csv: CSV_BOM + csvLine(HEADER) + lines.join("") };
}
