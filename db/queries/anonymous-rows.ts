import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { OutOfScopeError, type Viewer } from "../scope";
import { sheetLevel } from "../visibility";
import { monitoringScope, practiceWhere, type MonitoringFilter, type PracticeStateValue } from "./monitoring";
import { SMALL_CELL } from "./small-cells";
import { confineToTerritory } from "./territories";

/**
 * Practice-level rows of a territorial user's own territory, anonymous (issue 19,
 * docs/decisions/0082): no beneficiary, no gestore practice code, no notes; a pseudonymous id
 * (HMAC of the practice id with the recipient body's own key: stable across that body's
 * downloads, unlinkable with another body's). Quasi-identifiers are municipality × measure ×
 * month of submission: a row whose combination has fewer than SMALL_CELL practices is generalised
 * (province, quarter; no municipality nor ATS), and if the generalised combination is still
 * under SMALL_CELL, left out and counted. Each row also gives the month each state was first
 * reached (ADR 107), as coarse as the row's month of submission.
 */
export type AnonymousRow = {
  pseudonym: string;
  measure: string;
  /** null when generalised */
  comune: string | null;
  comuneName: string | null;
  province: string;
  ats: string | null;
  state: PracticeStateValue;
  /** "2026-03" (a month) or "2026-T1" (a quarter, generalised rows) */
  submitted: string;
  stateSince: string;
  /** The month (a quarter, generalised rows) the practice first reached each state it has been in. */
  reached: Partial<Record<PracticeStateValue, string>>;
  /** null (all three) when the sheet gives the body no individual amounts (importi not `territorio_anonima`). */
  requested: string | null;
  approved: string | null;
  disbursed: string | null;
  generalised: boolean;
};
export type AnonymousRows = { body: string; /** The amount columns are given (the sheet's importi for the body). */ amounts: boolean; rows: AnonymousRow[]; generalised: number; leftOut: number };

type Raw = {
  id: string; measure: string; comune: string; comune_name: string; province: string; ats: string | null; state: PracticeStateValue;
  submitted: string; state_date: string; requested: string; approved: string | null; disbursed: string | null;
  reached: Record<PracticeStateValue, string>;
};

const quarter = (iso: string) => `${iso.slice(0, 4)}-T${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;

/** The body's key, made on its first download (random, 32 bytes), never leaving the database but here. */
async function bodyKey(db: DbOrTx, body: string): Promise<Buffer> {
  await db.execute(sql`insert into pseudonym_keys (body, key) values (${body}, ${crypto.randomBytes(32)}) on conflict (body) do nothing`);
  const [row] = await db.execute<{ key: Buffer }>(sql`select key from pseudonym_keys where body = ${body}`);
  return row!.key;
}

export async function anonymousRows(db: DbOrTx, viewer: Viewer, filter: MonitoringFilter): Promise<AnonymousRows> {
  if ((await sheetLevel(db, viewer, "pratiche")) !== "territorio_anonima" || !viewer.territory) throw new OutOfScopeError("anonymous_rows");
  const amounts = (await sheetLevel(db, viewer, "importi")) === "territorio_anonima";
  const f = await confineToTerritory(db, viewer, filter);
  const scope = await monitoringScope(db, viewer, f);
  const raw = await db.execute<Raw>(sql`
    select p.id::text as id, m.code as measure, p.comune_code as comune, c.name as comune_name, c.province_abbr as province,
      ats_of(p.comune_code, p.submitted_on) as ats, p.state::text as state, p.submitted_on::text as submitted, p.state_date::text as state_date,
      p.amount_requested::text as requested, p.amount_approved::text as approved, p.amount_disbursed::text as disbursed,
      (select json_object_agg(s, d) from (
        select s, min(d)::text as d from (
          select p.first_state::text as s, p.first_state_date as d
          union all
          select h.to_state::text, h.state_date from practice_history h where h.practice_id = p.id and h.kind = 'transition'
        ) moves group by s) firsts) as reached
    from practices p join measures m on m.id = p.measure_id join comuni c on c.code = p.comune_code
    where ${practiceWhere(scope, f, { period: true })}
    order by p.id`);
  const body = `${viewer.territory.level}:${viewer.territory.code}`;
  const key = await bodyKey(db, body);
  const pseudonym = (id: string) => crypto.createHmac("sha256", key).update(id).digest("hex").slice(0, 20);

  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const fine = (r: Raw) => `${r.comune}|${r.measure}|${r.submitted.slice(0, 7)}`;
  const coarse = (r: Raw) => `${r.province}|${r.measure}|${quarter(r.submitted)}`;
  const fineCounts = count(raw.map(fine));
  const small = raw.filter((r) => fineCounts.get(fine(r))! < SMALL_CELL);
  const coarseCounts = count(small.map(coarse));
  const rows: AnonymousRow[] = [];
  let leftOut = 0;
  for (const r of raw) {
    const precise = fineCounts.get(fine(r))! >= SMALL_CELL;
    if (!precise && coarseCounts.get(coarse(r))! < SMALL_CELL) {
      leftOut += 1;
      continue;
    }
    rows.push({
      pseudonym: pseudonym(r.id),
      measure: r.measure,
      comune: precise ? r.comune : null,
      comuneName: precise ? r.comune_name : null,
      province: r.province,
      ats: precise ? r.ats : null,
      state: r.state,
      submitted: precise ? r.submitted.slice(0, 7) : quarter(r.submitted),
      stateSince: precise ? r.state_date.slice(0, 7) : quarter(r.state_date),
      reached: Object.fromEntries(Object.entries(r.reached).map(([state, day]) => [state, precise ? day.slice(0, 7) : quarter(day)])),
      requested: amounts ? r.requested : null,
      approved: amounts ? r.approved : null,
      disbursed: amounts ? r.disbursed : null,
      generalised: !precise,
    });
  }
  // Sorted by pseudonym: the order of the ids (and so of submission) is not given away.
  rows.sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
  return { body, amounts, rows, generalised: rows.filter((r) => r.generalised).length, leftOut };
}
