import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { isTerritorialRole, OutOfScopeError, type Territory, type Viewer } from "../scope";
import type { TerritoryLevel } from "../schema";
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

/**
 * The name of a territory as a person reads it ("ATS Ancona (dimostrativo)", "Regione Marche",
 * "Comune di Ancona"), as SQL over a level and a code: lists of accesses and requests read it
 * in the same query, `territoryName` for one territory.
 */
export function territoryNameSql(level: SQL, code: SQL): SQL<string | null> {
  return sql<string | null>`case ${level}::text
    when 'regione' then (select 'Regione ' || c.region_name from comuni c where c.region_code = ${code} limit 1)
    when 'ats' then (select a.name || case when a.demo then ' (dimostrativo)' else '' end from ats a where a.code = ${code})
    when 'comune' then (select 'Comune di ' || c.name from comuni c where c.code = ${code}) end`;
}

export async function territoryName(db: DbOrTx, t: Territory): Promise<string> {
  const [row] = await db.execute<{ name: string | null }>(sql`select ${territoryNameSql(sql`${t.level}`, sql`${t.code}`)} as name`);
  return row?.name ?? t.code;
}

/** Does the territory exist (a Region or municipality of the ISTAT list, an ATS of the list)? */
export async function territoryExists(db: DbOrTx, t: Territory): Promise<boolean> {
  const [row] = await db.execute<{ name: string | null }>(sql`select ${territoryNameSql(sql`${t.level}`, sql`${t.code}`)} as name`);
  return Boolean(row?.name);
}

/**
 * SQL: the territory named by (level, code) lies inside `t` (or is `t`), at one of `levels`. A
 * Region holds itself, its ATS and municipalities; an ATS itself and the municipalities mapped to
 * it today; a municipality itself.
 */
export function insideTerritorySql(level: SQL, code: SQL, t: Territory, levels: readonly TerritoryLevel[]): SQL {
  const at = (l: TerritoryLevel, cond: SQL) => (levels.includes(l) ? sql`(${level}::text = ${l} and ${cond})` : sql`false`);
  if (t.level === "regione")
    return sql`(${at("regione", sql`${code} = ${t.code}`)}
      or ${at("ats", sql`${code} in (select a.code from ats a where a.region_code = ${t.code})`)}
      or ${at("comune", sql`${code} in (select c.code from comuni c where c.region_code = ${t.code})`)})`;
  if (t.level === "ats")
    return sql`(${at("ats", sql`${code} = ${t.code}`)}
      or ${at("comune", sql`ats_of(${code}, current_date) = ${t.code}`)})`;
  return at("comune", sql`${code} = ${t.code}`);
}

export async function territoryInside(db: DbOrTx, outer: Territory, inner: Territory, levels: readonly TerritoryLevel[]): Promise<boolean> {
  const [row] = await db.execute<{ inside: boolean }>(sql`select ${insideTerritorySql(sql`${inner.level}`, sql`${inner.code}`, outer, levels)} as inside`);
  return Boolean(row?.inside);
}

/** The municipalities of an ATS today (the ATS administrator's choice of where a user works). */
export async function comuniOfAts(db: DbOrTx, atsCode: string) {
  return db.execute<{ code: string; name: string }>(sql`
    select c.code, c.name from comuni c
    where c.code in (select comune_code from comune_ats where ats_code = ${atsCode}) and ats_of(c.code, current_date) = ${atsCode}
    order by c.name`);
}

/** Territorial users' quota when no administrator has set one (8 per Region, per the seed; ADR 105). */
export const DEFAULT_TERRITORIAL_QUOTA = 8;

/**
 * Serialises enablement decisions for one quota territory (two ninth requests at once: one waits
 * for the other's commit, then counts it) and reads its name and quota; null if it does not exist.
 */
export async function lockQuotaTerritory(db: DbOrTx, t: Territory): Promise<{ label: string; quota: number } | null> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`enablement:${t.level}:${t.code}`}, 0))`);
  const [row] = await db.execute<{ name: string | null; quota: number | null }>(sql`
    select ${territoryNameSql(sql`${t.level}`, sql`${t.code}`)} as name,
      case ${t.level}::text
        when 'regione' then (select user_quota from region_settings where region_code = ${t.code})
        when 'ats' then (select user_quota from ats where code = ${t.code}) end as quota`);
  if (!row?.name) return null;
  return { label: row.name, quota: row.quota ?? DEFAULT_TERRITORIAL_QUOTA };
}

/** The territory whose quota an access at `t` counts against: a municipality's is its ATS today. */
export async function quotaTerritoryOf(db: DbOrTx, t: Territory): Promise<Territory> {
  if (t.level !== "comune") return t;
  const [row] = await db.execute<{ ats: string | null }>(sql`select ats_of(${t.code}, current_date) as ats`);
  return row?.ats ? { level: "ats", code: row.ats } : t;
}
