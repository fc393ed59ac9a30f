import { sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { InputError, parseFields } from "~/lib/errors";
import type { DbOrTx } from "~db/client";
import { DEFAULT_TERRITORIAL_QUOTA } from "~db/queries/territories";
import { parseAtsCsv, type AtsCsvProblem } from "./ats-csv";

/**
 * The administrator's side of territories (ADR 106): importing the official ATS list, and the
 * territorial quotas (regional users per Region, ATS users per ATS; ADR 105).
 */

export type AtsImportResult =
  | { ok: true; ats: number; rows: number; demoRemoved: number }
  | { ok: false; errors: AtsCsvProblem[] };

/**
 * Checks every line (form, municipality known, region agreeing with the municipality's, one name
 * and region per ATS code, one row per municipality and date) and stores nothing unless all pass.
 * Then, in one transaction: the demo mapping goes (the official list replaces it), each ATS is
 * created or renamed, and each (municipality, valid from) row is added — a municipality moving
 * to another ATS from a date is a second row; a row for the same day replaces the ATS.
 */
export async function importAtsList(db: DbOrTx, who: ChangeAuthor, text: string): Promise<AtsImportResult> {
  const parsed = parseAtsCsv(text);
  const errors = [...parsed.errors];
  const comuni = new Map(
    (
      await db.execute<{ code: string; region_code: string; region_name: string }>(sql`
        select code, region_code, region_name from comuni where code in ${parsed.rows.length ? sql`(${sql.join(parsed.rows.map((r) => sql`${r.comune}`), sql`, `)})` : sql`(null)`}`)
    ).map((c) => [c.code, c]),
  );
  const known = new Map(
    (await db.execute<{ code: string; region_code: string }>(sql`select code, region_code from ats where not demo`)).map((a) => [a.code, a.region_code]),
  );
  const atsSeen = new Map<string, { name: string; region: string; line: number }>();
  const daySeen = new Map<string, number>();
  for (const r of parsed.rows) {
    const c = comuni.get(r.comune);
    if (!c) {
      errors.push({ line: r.line, message: `comune ${r.comune} non presente nell'elenco ISTAT` });
      continue;
    }
    const region = /^\d{1,2}$/.test(r.region) ? r.region.padStart(2, "0") : r.region.toLowerCase() === c.region_name.toLowerCase() ? c.region_code : null;
    if (region !== c.region_code) {
      errors.push({ line: r.line, message: `regione «${r.region.slice(0, 40)}» diversa da quella del comune ${r.comune} (${c.region_code} ${c.region_name})` });
      continue;
    }
    const before = atsSeen.get(r.atsCode);
    if (before && (before.name !== r.atsName || before.region !== region))
      errors.push({ line: r.line, message: `ATS ${r.atsCode}: nome o regione diversi da quelli della riga ${before.line}` });
    else if (!before) atsSeen.set(r.atsCode, { name: r.atsName, region, line: r.line });
    const knownRegion = known.get(r.atsCode);
    if (knownRegion && knownRegion !== region) errors.push({ line: r.line, message: `ATS ${r.atsCode}: già registrato nella regione ${knownRegion}` });
    const key = `${r.comune}|${r.validFrom}`;
    const first = daySeen.get(key);
    if (first) errors.push({ line: r.line, message: `comune ${r.comune}: più righe valide dalla stessa data (vedi riga ${first})` });
    else daySeen.set(key, r.line);
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  return db.transaction(async (tx) => {
    const [demo] = await tx.execute<{ n: number }>(sql`
      with gone as (delete from comune_ats where ats_code in (select code from ats where demo) returning 1)
      select count(*)::int as n from gone`);
    await tx.execute(sql`delete from ats where demo`);
    for (const [code, a] of atsSeen)
      await tx.execute(sql`
        insert into ats (code, name, region_code, demo) values (${code}, ${a.name}, ${a.region}, false)
        on conflict (code) do update set name = excluded.name`);
    for (let i = 0; i < parsed.rows.length; i += 1000) {
      const chunk = parsed.rows.slice(i, i + 1000);
      await tx.execute(sql`
        insert into comune_ats (comune_code, ats_code, valid_from)
        values ${sql.join(chunk.map((r) => sql`(${r.comune}, ${r.atsCode}, ${r.validFrom}::date)`), sql`, `)}
        on conflict (comune_code, valid_from) do update set ats_code = excluded.ats_code`);
    }
    const result = { ok: true as const, ats: atsSeen.size, rows: parsed.rows.length, demoRemoved: demo!.n };
    await audit(tx, who, { action: "territories.ats_import", objectType: "ats", details: { ats: result.ats, rows: result.rows, demoRemoved: result.demoRemoved } });
    return result;
  });
}

const quotaInput = z.object({
  quota: z.coerce
    .number({ message: "Numero massimo di utenti: indicare un numero" })
    .int("Numero massimo di utenti: un numero intero")
    .min(1, "Numero massimo di utenti: almeno 1")
    .max(500, "Numero massimo di utenti: al massimo 500"),
});

/** The most regional users a Region's referente may have enabled at once (default 8). */
export async function setRegionQuota(db: DbOrTx, who: ChangeAuthor, regionCode: string, raw: unknown) {
  const { quota } = parseFields(quotaInput, raw);
  const [region] = await db.execute<{ code: string }>(sql`select region_code as code from comuni where region_code = ${regionCode} limit 1`);
  if (!region) throw new InputError("Regione inesistente");
  await db.execute(sql`
    insert into region_settings (region_code, user_quota, updated_at) values (${regionCode}, ${quota}, now())
    on conflict (region_code) do update set user_quota = excluded.user_quota, updated_at = now()`);
  await audit(db, who, { action: "territories.region_quota", objectType: "region", objectId: regionCode, details: { quota } });
  return quota;
}

/** The most territorial users an ATS administrator may have enabled at once, ATS and municipalities together. */
export async function setAtsQuota(db: DbOrTx, who: ChangeAuthor, atsCode: string, raw: unknown) {
  const { quota } = parseFields(quotaInput, raw);
  const updated = await db.execute<{ code: string }>(sql`update ats set user_quota = ${quota} where code = ${atsCode} returning code`);
  if (!updated.length) throw new InputError("ATS inesistente");
  await audit(db, who, { action: "territories.ats_quota", objectType: "ats", objectId: atsCode, details: { quota } });
  return quota;
}

/** The administration page's lists: each Region with its quota, each ATS with its municipalities today and quota. */
export async function territoriesAdminData(db: DbOrTx) {
  const [regions, ats] = await Promise.all([
    db.execute<{ code: string; name: string; quota: number | null; ats: number }>(sql`
      select c.region_code as code, min(c.region_name) as name, (select user_quota from region_settings s where s.region_code = c.region_code) as quota,
        (select count(*)::int from ats a where a.region_code = c.region_code) as ats
      from comuni c group by c.region_code order by min(c.region_name)`),
    db.execute<{ code: string; name: string; region_code: string; demo: boolean; quota: number; comuni: number }>(sql`
      select a.code, a.name, a.region_code, a.demo, a.user_quota as quota,
        (select count(*)::int from comune_ats m where m.ats_code = a.code and ats_of(m.comune_code, current_date) = a.code) as comuni
      from ats a order by a.region_code, a.name`),
  ]);
  return {
    regions: regions.map((r) => ({ code: r.code, name: r.name, quota: r.quota ?? DEFAULT_TERRITORIAL_QUOTA, ats: r.ats })),
    ats: ats.map((a) => ({ code: a.code, name: a.name, region: a.region_code, demo: a.demo, quota: a.quota, comuni: a.comuni })),
  };
}
