import { asc, eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { clickDays, procedures } from "../schema";
import type { Viewer } from "../scope";

/**
 * Who reads a click day's ranking (issue 16, docs/decisions/0120): administrators every one;
 * funzionari and dirigenti those of the procedures their org unit handles, gives an opinion on
 * (`application_offices`) or is routed to by a rule (`application_routing_rules`). Anyone else none.
 */
function rankingReach(viewer: Viewer): SQL {
  if (viewer.role === "amministratore") return sql`true`;
  if ((viewer.role !== "funzionario" && viewer.role !== "dirigente") || !viewer.orgUnitId) return sql`false`;
  const code = sql`(select o.code from org_units o where o.id = ${viewer.orgUnitId})`;
  return sql`(${procedures.orgUnitId} = ${viewer.orgUnitId}
    or ${procedures.applicationOffices} ? ${code}
    or jsonb_path_exists(${procedures.applicationRoutingRules}, '$[*] ? (@.fallback == $c || exists(@.cases[*] ? (@.office == $c)))', jsonb_build_object('c', ${code})))`;
}

/** The click days whose ranking the viewer may read, with their procedure's title. */
export function clickDaysForViewer(db: DbOrTx, viewer: Viewer, id?: string) {
  return db
    .select({ day: clickDays, procedure: procedures.title })
    .from(clickDays)
    .innerJoin(procedures, eq(procedures.id, clickDays.procedureId))
    .where(id ? sql`${clickDays.id} = ${id} and ${rankingReach(viewer)}` : rankingReach(viewer))
    .orderBy(asc(clickDays.opensAt));
}
