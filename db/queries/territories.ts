import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { isTerritorialRole, OutOfScopeError, type Territory, type Viewer } from "../scope";
import type { MonitoringFilter } from "./monitoring";

/**
 * Territories (issue 19, docs/decisions/0081): social districts (ATS), the ATS of each
 * municipality with history (`comune_ats`, read through the SQL function `ats_of`), and the
 * confinement of a territorial viewer's monitoring filters to its own territory.
 */

export type AtsOption = { code: string; name: string; region: string; demo: boolean };

export async function atsList(db: DbOrTx): Promise<AtsOption[]> {
  const rows = await db.execute<{ code: string; name: string; region_code: string; demo: boolean }>(sql`
    select code, name, region_code, demo from ats order by name`);
  return rows.map((r) => ({ code: r.code, name: r.name, region: r.region_code, demo: r.demo }));
}

/** Where a municipality, a province or an ATS lies, for the checks below (current ATS mapping). */
async function whereIs(db: DbOrTx, f: MonitoringFilter) {
  const [row] = await db.execute<{ comune_region: string | null; comune_ats: string | null; province_region: string | null; ats_region: string | null }>(sql`
    select
      (select region_code from comuni where code = ${f.comune ?? null}) as comune_region,
      ats_of(${f.comune ?? null}, current_date) as comune_ats,
      (select region_code from comuni where province_code = ${f.province ?? null} limit 1) as province_region,
      (select region_code from ats where code = ${f.ats ?? null}) as ats_region`);
  return row!;
}

/**
 * A territorial viewer's filter, confined to its territory: what it names must lie inside (a
 * Region sees its provinces, ATS and municipalities; an ATS its municipalities; a municipality
 * itself), else OutOfScopeError (an audited 403: a URL edited to widen the view); with nothing
 * narrower named, the territory itself. Other viewers' filters pass unchanged.
 */
export async function confineToTerritory(db: DbOrTx, viewer: Viewer, f: MonitoringFilter): Promise<MonitoringFilter> {
  if (!isTerritorialRole(viewer.role)) return f;
  const t: Territory | null | undefined = viewer.territory;
  if (!t) throw new OutOfScopeError("territory");
  const at = await whereIs(db, f);
  const out = () => new OutOfScopeError("territory");
  if (t.level === "regione") {
    if (f.region && f.region !== t.code) throw out();
    if (f.province && at.province_region !== t.code) throw out();
    if (f.ats && at.ats_region !== t.code) throw out();
    if (f.comune && at.comune_region !== t.code) throw out();
    return { ...f, region: t.code };
  }
  if (t.level === "ats") {
    if (f.region || f.province) throw out();
    if (f.ats && f.ats !== t.code) throw out();
    if (f.comune && at.comune_ats !== t.code) throw out();
    return { ...f, ats: t.code };
  }
  if (f.region || f.province || f.ats) throw out();
  if (f.comune && f.comune !== t.code) throw out();
  return { ...f, comune: t.code };
}

/** The territory's name as a person reads it ("ATS Ancona (dimostrativo)", "Regione Marche", "Comune di Ancona"). */
export async function territoryName(db: DbOrTx, t: Territory): Promise<string> {
  const [row] = await db.execute<{ name: string | null }>(
    t.level === "regione"
      ? sql`select 'Regione ' || region_name as name from comuni where region_code = ${t.code} limit 1`
      : t.level === "ats"
        ? sql`select name || case when demo then ' (dimostrativo)' else '' end as name from ats where code = ${t.code}`
        : sql`select 'Comune di ' || name as name from comuni where code = ${t.code}`,
  );
  return row?.name ?? t.code;
}
