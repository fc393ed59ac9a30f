import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { APPROVED_STATES, practiceWhere, REJECTED_STATES, withholdsSmallCells, type MonitoringFilter, type MonitoringScope, type Withheld } from "./monitoring";
import { territoryName } from "./territories";
import { isSmall, SMALL_CELL, withheldCells } from "./small-cells";

/**
 * The ATS level of the dashboard (issue 19, docs/decisions/0107): the figures of each ATS of a
 * Region (the breakdown), and one ATS against the average ATS of its Region (the comparison).
 * A practice counts for the ATS of its municipality on its submission day (ADR 81). Small cells
 * are withheld by their own contributors, with secondary suppression down each column (the
 * Region's total is published on the same dashboard), as ADR 80.
 */
export type AtsRow = {
  /** null: the Region's practices whose municipality had no ATS on the submission day. */
  ats: string | null;
  name: string;
  count: number | null;
  requested: string | null;
  approved: string | null;
  disbursed: string | null;
  withheld: Withheld;
};
export type AtsComparison = {
  ats: string;
  name: string;
  /** ATS of the Region with practices in the view (the average's denominator). */
  regionAts: number;
  own: AtsRow & { approvalRate: number | null };
  average: { count: string | null; requested: string | null; approved: string | null; disbursed: string | null; approvalRate: number | null; withheld: Withheld };
};
/** `rows` only for a Region's view; `comparison` only for an ATS's. */
export type AtsFigures = { region: string; rows: AtsRow[]; comparison: AtsComparison | null };

type Raw = {
  ats: string | null; name: string | null; demo: boolean | null; n: number; requested: string | null; approved: string | null; disbursed: string | null;
  approved_n: number; disbursed_n: number; yes: number; no: number;
};

const money = (v: string | null) => (v === null ? null : v);
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * For a view naming a Region or an ATS (either implies the Region), or null. Without a period or
 * measure the figures are the cohort of the view, as the table of states.
 */
export async function atsFigures(db: DbOrTx, scope: MonitoringScope, f: MonitoringFilter): Promise<AtsFigures | null> {
  let region = f.region ?? null;
  if (!region && f.ats) region = (await db.execute<{ r: string }>(sql`select region_code as r from ats where code = ${f.ats}`))[0]?.r ?? null;
  if (!region || f.comune || f.province) return null;
  const where = practiceWhere(scope, { ...f, region, ats: undefined }, { period: true });
  const cohort = sql`with p as (select ats_of(p.comune_code, p.submitted_on) as ats, p.* from practices p where ${where})`;
  const raw = await db.execute<Raw>(sql`
    ${cohort}
    select p.ats, a.name, a.demo, count(*)::int as n, sum(amount_requested)::text as requested,
      sum(amount_approved)::text as approved, sum(amount_disbursed)::text as disbursed,
      count(amount_approved)::int as approved_n, count(amount_disbursed)::int as disbursed_n,
      count(*) filter (where state::text in (${sql.join(APPROVED_STATES.map((s) => sql`${s}`), sql`, `)}))::int as yes,
      count(*) filter (where state::text in (${sql.join(REJECTED_STATES.map((s) => sql`${s}`), sql`, `)}))::int as no
    from p left join ats a on a.code = p.ats
    group by p.ats, a.name, a.demo
    order by a.name nulls last`);
  const aggregate = withholdsSmallCells(scope.level);
  const column = (pick: (r: Raw) => number) => (aggregate ? withheldCells(raw.map(pick), true) : raw.map(() => false));
  const counts = column((r) => r.n);
  const approvedCells = column((r) => r.approved_n);
  const disbursedCells = column((r) => r.disbursed_n);
  const rows: AtsRow[] = raw.map((r, i) => {
    const withheld: Withheld = [];
    if (counts[i]) withheld.push("count", "requested");
    if (counts[i] || approvedCells[i]) withheld.push("approved");
    if (counts[i] || disbursedCells[i]) withheld.push("disbursed");
    return {
      ats: r.ats,
      name: r.ats === null ? "Comuni senza ATS" : `${r.name}${r.demo ? " (dimostrativo)" : ""}`,
      count: counts[i] ? null : r.n,
      requested: withheld.includes("requested") ? null : money(r.requested),
      approved: withheld.includes("approved") ? null : money(r.approved),
      disbursed: withheld.includes("disbursed") ? null : money(r.disbursed),
      withheld,
    };
  });

  let comparison: AtsComparison | null = null;
  if (f.ats) {
    const own = raw.find((r) => r.ats === f.ats) ?? null;
    const mapped = raw.filter((r) => r.ats !== null);
    const k = mapped.length;
    const sum = (pick: (r: Raw) => number) => mapped.reduce((s, r) => s + pick(r), 0);
    // Amounts averaged in exact decimals by PostgreSQL, over the ATS with practices in the view.
    const [avg] = k
      ? await db.execute<{ requested: string | null; approved: string | null; disbursed: string | null }>(sql`
          ${cohort}
          select round(sum(amount_requested) / ${k}, 2)::text as requested, round(sum(amount_approved) / ${k}, 2)::text as approved,
            round(sum(amount_disbursed) / ${k}, 2)::text as disbursed
          from p where p.ats is not null`)
      : [{ requested: null, approved: null, disbursed: null }];
    // The ATS's own figures are its dashboard's totals: withheld by their own contributors only.
    const small = (n: number) => aggregate && isSmall(n);
    const ownWithheld: Withheld = [];
    if (own && small(own.n)) ownWithheld.push("count", "requested");
    if (own && (small(own.n) || small(own.approved_n))) ownWithheld.push("approved");
    if (own && (small(own.n) || small(own.disbursed_n))) ownWithheld.push("disbursed");
    if (aggregate && own && own.yes + own.no > 0 && (own.yes < SMALL_CELL || own.no < SMALL_CELL)) ownWithheld.push("approvalRate");
    const shown = <T,>(field: Withheld[number], v: T) => (ownWithheld.includes(field) ? null : v);
    const ownRow: AtsRow = own
      ? { ats: f.ats, name: "", count: shown("count", own.n), requested: shown("requested", own.requested), approved: shown("approved", own.approved), disbursed: shown("disbursed", own.disbursed), withheld: ownWithheld }
      : { ats: f.ats, name: "", count: 0, requested: null, approved: null, disbursed: null, withheld: [] };
    // Average × ATS − own gives the others: withheld when the others are fewer than 5 practices.
    const others = (pick: (r: Raw) => number) => sum(pick) - (own ? pick(own) : 0);
    const avgWithheld: Withheld = [];
    if (aggregate && others((r) => r.n) < SMALL_CELL) avgWithheld.push("count", "requested");
    if (aggregate && others((r) => r.approved_n) < SMALL_CELL) avgWithheld.push("approved");
    if (aggregate && others((r) => r.disbursed_n) < SMALL_CELL) avgWithheld.push("disbursed");
    if (aggregate && (others((r) => r.yes) < SMALL_CELL || others((r) => r.no) < SMALL_CELL)) avgWithheld.push("approvalRate");
    const name = await territoryName(db, { level: "ats", code: f.ats });
    comparison = {
      ats: f.ats,
      name,
      regionAts: k,
      own: { ...ownRow, name, approvalRate: ownWithheld.includes("approvalRate") || !own ? null : ratio(own.yes, own.yes + own.no) },
      average: {
        count: avgWithheld.includes("count") ? null : k ? (sum((r) => r.n) / k).toFixed(1) : null,
        requested: avgWithheld.includes("requested") ? null : avg!.requested,
        approved: avgWithheld.includes("approved") ? null : avg!.approved,
        disbursed: avgWithheld.includes("disbursed") ? null : avg!.disbursed,
        approvalRate: avgWithheld.includes("approvalRate") ? null : ratio(sum((r) => r.yes), sum((r) => r.yes + r.no)),
        withheld: avgWithheld,
      },
    };
  }
  // With an ATS in view, the other ATS are seen only through the average: an ATS user's dashboard
  // never lists them (ADR 81's confinement).
  return { region, rows: f.ats ? [] : rows, comparison };
}
