import type { Sql, TransactionSql } from "postgres";
import { assess, type AcceptedFile, type Assessment } from "./assess";
import type { Cadence, ExtraHoliday, Obligation } from "./calendar";

type Q = Sql | TransactionSql;

export type GestoreObligation = {
  gestoreId: string;
  gestoreName: string;
  gestoreCf: string;
  gestoreEmail: string | null;
  gestorePec: string | null;
  measureId: string;
  measureCode: string;
  measureName: string;
  orgUnitId: string | null;
  obligation: Obligation;
  reminderEveryDays: number;
  escalateAfterReminders: number;
};

export async function loadExtraHolidays(q: Q): Promise<ExtraHoliday[]> {
  return q<ExtraHoliday[]>`select month, day, year, name from extra_holidays order by month, day`;
}

/** Every (active gestore, measure with an obligation) pair, optionally for one gestore or measure. */
export async function loadObligations(q: Q, filter: { gestoreId?: string | null; measureId?: string | null } = {}): Promise<GestoreObligation[]> {
  const rows = await q<
    {
      gestore_id: string;
      gestore_name: string;
      gestore_cf: string;
      gestore_email: string | null;
      gestore_pec: string | null;
      measure_id: string;
      measure_code: string;
      measure_name: string;
      org_unit_id: string | null;
      cadence: Cadence;
      day: number;
      starts_on: string;
      ends_on: string | null;
      reminder_every_days: number;
      escalate_after_reminders: number;
    }[]
  >`
    select g.id as gestore_id, g.name as gestore_name, g.fiscal_code as gestore_cf, g.email as gestore_email, g.pec as gestore_pec,
           m.id as measure_id, m.code as measure_code, m.name as measure_name, m.org_unit_id,
           m.obligation_cadence as cadence, m.obligation_day as day,
           m.obligation_starts_on::text as starts_on, m.obligation_ends_on::text as ends_on,
           m.reminder_every_days, m.escalate_after_reminders
    from measure_gestori mg
    join measures m on m.id = mg.measure_id
    join gestori g on g.id = mg.gestore_id
    where m.obligation_cadence is not null and g.active
      and (${filter.gestoreId ?? null}::uuid is null or g.id = ${filter.gestoreId ?? null}::uuid)
      and (${filter.measureId ?? null}::uuid is null or m.id = ${filter.measureId ?? null}::uuid)
    order by g.name, m.code`;
  return rows.map((r) => ({
    gestoreId: r.gestore_id,
    gestoreName: r.gestore_name,
    gestoreCf: r.gestore_cf,
    gestoreEmail: r.gestore_email,
    gestorePec: r.gestore_pec,
    measureId: r.measure_id,
    measureCode: r.measure_code,
    measureName: r.measure_name,
    orgUnitId: r.org_unit_id,
    obligation: { cadence: r.cadence, day: r.day, startsOn: r.starts_on, endsOn: r.ends_on },
    reminderEveryDays: r.reminder_every_days,
    escalateAfterReminders: r.escalate_after_reminders,
  }));
}

/** The accepted files of some gestori, with the Rome day each arrived. */
export async function loadAcceptedFiles(q: Q, gestoreIds: string[]): Promise<Map<string, AcceptedFile[]>> {
  const out = new Map<string, AcceptedFile[]>();
  if (!gestoreIds.length) return out;
  const rows = await q<{ gestore_id: string; reference_date: string; received_on: string }[]>`
    select gestore_id, reference_date::text as reference_date, (received_at at time zone 'Europe/Rome')::date::text as received_on
    from uploads
    where status = 'accepted' and reference_date is not null and gestore_id = any(${gestoreIds}::uuid[])`;
  for (const r of rows) {
    const list = out.get(r.gestore_id) ?? [];
    list.push({ referenceDate: r.reference_date, receivedOn: r.received_on });
    out.set(r.gestore_id, list);
  }
  return out;
}

export type ObligationState = GestoreObligation & { assessment: Assessment };

/** Obligations and where each stands on `today` (a Rome calendar day). */
export async function assessObligations(
  q: Q,
  today: string,
  filter: { gestoreId?: string | null; measureId?: string | null } = {},
): Promise<ObligationState[]> {
  const [obligations, extra] = await Promise.all([loadObligations(q, filter), loadExtraHolidays(q)]);
  const files = await loadAcceptedFiles(q, [...new Set(obligations.map((o) => o.gestoreId))]);
  return obligations.map((o) => ({ ...o, assessment: assess(o.obligation, files.get(o.gestoreId) ?? [], today, extra) }));
}
