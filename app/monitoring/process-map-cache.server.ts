import type { DbOrTx } from "~db/client";
import type { MonitoringFilter } from "~db/queries/monitoring";
import { processDataVersion, processMapFigures, type ProcessMapFigures } from "~db/queries/process-map";
import type { Viewer } from "~db/scope";

/**
 * The process map is computed on the raw tables (docs/decisions/0056): seconds on a large
 * installation. Its figures are kept per process for what decides them (the viewer's role and
 * gestore, the filter) and reused while no practice or move has been written since; an upload
 * makes the next view recompute. Bounded, and refreshed at least every ten minutes.
 */
const MAX_ENTRIES = 100;
const MAX_AGE_MS = 10 * 60_000;
const entries = new Map<string, { version: string; at: number; figures: ProcessMapFigures }>();

export async function cachedProcessMapFigures(db: DbOrTx, viewer: Viewer, filter: MonitoringFilter, now = Date.now()): Promise<ProcessMapFigures> {
  const key = JSON.stringify([viewer.role, viewer.gestoreId, Object.entries(filter).sort()]);
  const version = await processDataVersion(db);
  const hit = entries.get(key);
  if (hit && hit.version === version && now - hit.at < MAX_AGE_MS) return hit.figures;
  const figures = await processMapFigures(db, viewer, filter);
  entries.delete(key);
  entries.set(key, { version, at: now, figures });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return figures;
}
