import { OutOfScopeError, type Viewer } from "./scope";
import type { Role } from "./schema";

/**
 * The visibility sheet (Allegato B, issue 19, docs/decisions/0106): for each actor type and each
 * data category, what the actor may see. The data layer enforces it — the monitoring level
 * (db/queries/monitoring.ts), practice-level data with identities (db/queries/practices.ts), the
 * uploads (db/queries/uploads.ts), the anonymous rows (db/queries/anonymous-rows.ts) — and the
 * page /admin/visibilita shows this very table: one source.
 */

export const ACTOR_TYPES = ["ufficio", "gestore", "osservatore", "regione", "ats", "comune"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const DATA_CATEGORIES = ["pratiche", "identita", "importi", "caricamenti"] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const SHEET_LEVELS = ["totale", "proprio_ente", "territorio_anonima", "aggregata", "nessuna"] as const;
export type SheetLevel = (typeof SHEET_LEVELS)[number];

export const ACTOR_TYPE_LABELS: Record<ActorType, string> = {
  ufficio: "Uffici regionali (funzionari, dirigenti, amministratori, help desk)",
  gestore: "Enti gestori (operatori e referenti)",
  osservatore: "Osservatori",
  regione: "Utenti regionali (referente e operatori di una Regione)",
  ats: "Utenti di ATS (amministratore e operatori di un ambito)",
  comune: "Utenti comunali (operatori di un comune)",
};

export const DATA_CATEGORY_LABELS: Record<DataCategory, string> = {
  pratiche: "Dati delle pratiche",
  identita: "Identità dei beneficiari",
  importi: "Importi",
  caricamenti: "Flussi caricati",
};

export const SHEET_LEVEL_LABELS: Record<SheetLevel, string> = {
  totale: "Totale",
  proprio_ente: "Limitata al proprio ente",
  territorio_anonima: "Individuale anonima nel proprio territorio",
  aggregata: "Aggregata",
  nessuna: "Nessuna",
};

const TERRITORIAL: Record<DataCategory, SheetLevel> = { pratiche: "territorio_anonima", identita: "nessuna", importi: "territorio_anonima", caricamenti: "nessuna" };

export const VISIBILITY_SHEET: Record<ActorType, Record<DataCategory, SheetLevel>> = {
  ufficio: { pratiche: "totale", identita: "totale", importi: "totale", caricamenti: "totale" },
  // Individually their own gestore's; other gestori, or all of them, only as aggregates (ADR 21).
  gestore: { pratiche: "proprio_ente", identita: "proprio_ente", importi: "proprio_ente", caricamenti: "proprio_ente" },
  osservatore: { pratiche: "aggregata", identita: "nessuna", importi: "aggregata", caricamenti: "nessuna" },
  regione: TERRITORIAL,
  ats: TERRITORIAL,
  comune: TERRITORIAL,
};

const ROLE_ACTOR: Partial<Record<Role, ActorType>> = {
  funzionario: "ufficio",
  dirigente: "ufficio",
  amministratore: "ufficio",
  operatore_helpdesk: "ufficio",
  gestore_operatore: "gestore",
  gestore_referente: "gestore",
  osservatore: "osservatore",
};

/** The viewer's actor type; null (sees nothing) for an applicant, or a territorial role without a territory. */
export function actorTypeOf(viewer: Pick<Viewer, "role" | "territory">): ActorType | null {
  if (viewer.role === "referente_regionale" || viewer.role === "amministratore_ats" || viewer.role === "operatore_territoriale")
    return viewer.territory ? viewer.territory.level : null;
  return ROLE_ACTOR[viewer.role] ?? null;
}

export function sheetLevel(viewer: Pick<Viewer, "role" | "territory">, category: DataCategory): SheetLevel {
  const actor = actorTypeOf(viewer);
  return actor ? VISIBILITY_SHEET[actor][category] : "nessuna";
}

/**
 * For queries returning individual rows of a category: null when the viewer sees every gestore's,
 * its own gestore's id when limited to it; any other level reads no individual row here
 * (OutOfScopeError; anonymous rows have their own query).
 */
export function individualGestoreScope(viewer: Viewer, category: DataCategory, objectType: string): string | null {
  const level = sheetLevel(viewer, category);
  if (level === "totale") return null;
  if (level === "proprio_ente") {
    if (!viewer.gestoreId) throw new Error("gestore user without gestore");
    return viewer.gestoreId;
  }
  throw new OutOfScopeError(objectType);
}
