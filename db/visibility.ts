import { sql } from "drizzle-orm";
import type { DbOrTx } from "./client";
import { notifiedCache } from "./notified-cache";
import { OutOfScopeError, type Viewer } from "./scope";
import type { Role } from "./schema";

/**
 * The visibility sheet (Allegato B, issue 19, docs/decisions/0106): for each actor type and each
 * data category, what the actor may see. The data layer enforces it — the monitoring level
 * (db/queries/monitoring.ts), practice-level data with identities (db/queries/practices.ts), the
 * uploads (db/queries/uploads.ts), the anonymous rows (db/queries/anonymous-rows.ts) — reading
 * the STORED sheet (table visibility_sheet, defaults below), which /admin/visibilita shows and
 * edits (docs/decisions/0108): one source.
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

export type Sheet = Record<ActorType, Record<DataCategory, SheetLevel>>;

const TERRITORIAL: Record<DataCategory, SheetLevel> = { pratiche: "territorio_anonima", identita: "nessuna", importi: "territorio_anonima", caricamenti: "nessuna" };

/** The sheet before any administrator edits it (what was enforced when it was code, ADR 106). */
export const DEFAULT_SHEET: Sheet = {
  ufficio: { pratiche: "totale", identita: "totale", importi: "totale", caricamenti: "totale" },
  // Individually their own gestore's; other gestori, or all of them, only as aggregates (ADR 21).
  gestore: { pratiche: "proprio_ente", identita: "proprio_ente", importi: "proprio_ente", caricamenti: "proprio_ente" },
  osservatore: { pratiche: "aggregata", identita: "nessuna", importi: "aggregata", caricamenti: "nessuna" },
  regione: TERRITORIAL,
  ats: TERRITORIAL,
  comune: TERRITORIAL,
};

/** Short names for messages. */
const ACTOR_SHORT: Record<ActorType, string> = {
  ufficio: "Uffici regionali",
  gestore: "Enti gestori",
  osservatore: "Osservatori",
  regione: "Utenti regionali",
  ats: "Utenti di ATS",
  comune: "Utenti comunali",
};

/** The levels each actor type can be given: what the platform can honour for it (ADR 108). */
const ACTOR_LEVELS: Record<ActorType, readonly SheetLevel[]> = {
  ufficio: ["totale"],
  gestore: ["proprio_ente", "aggregata", "nessuna"],
  osservatore: ["aggregata", "nessuna"],
  regione: ["territorio_anonima", "aggregata", "nessuna"],
  ats: ["territorio_anonima", "aggregata", "nessuna"],
  comune: ["territorio_anonima", "aggregata", "nessuna"],
};
const ACTOR_REASON: Partial<Record<SheetLevel, string>> = {
  totale: "la visibilità totale è riservata agli uffici regionali",
  proprio_ente: "solo gli enti gestori hanno dati forniti dal proprio ente",
  territorio_anonima: "solo gli utenti regionali, di ATS e comunali hanno un proprio territorio",
};
const IN_SENTENCE: Record<DataCategory, string> = { pratiche: "i dati delle pratiche", identita: "l'identità dei beneficiari", importi: "gli importi", caricamenti: "i flussi caricati" };
const INDIVIDUAL_WHY = { identita: "l'identità dei beneficiari è un dato individuale", caricamenti: "i flussi caricati sono file con dati individuali" };
/** Identities and uploaded files are individual data: they have no anonymous or aggregate form. */
const INDIVIDUAL_ONLY: readonly SheetLevel[] = ["totale", "proprio_ente", "nessuna"];
const WIDTH: Record<SheetLevel, number> = { totale: 4, proprio_ente: 3, territorio_anonima: 2, aggregata: 1, nessuna: 0 };

/**
 * The combinations that make no sense, in Italian, one line each (none: the sheet can be stored).
 * Beyond the actor's own levels: identity and uploads only individually or not at all; identity
 * never wider than practice data; amounts as practice data (every page shows them together), but
 * `aggregata` under anonymous rows (the rows then lack amounts); uploads (files carrying
 * identities) never wider than identity.
 */
export function sheetProblems(sheet: Sheet): string[] {
  const problems: string[] = [];
  for (const a of ACTOR_TYPES) {
    const row = sheet[a];
    const say = (what: string) => problems.push(`${ACTOR_SHORT[a]}: ${what}.`);
    if (a === "ufficio" && DATA_CATEGORIES.some((c) => row[c] !== "totale")) {
      say("la visibilità resta totale per ogni categoria, perché gli uffici istruiscono e controllano le pratiche");
      continue;
    }
    let levelsOk = true;
    for (const c of DATA_CATEGORIES) {
      const l = row[c];
      if (!ACTOR_LEVELS[a].includes(l)) {
        say(`«${SHEET_LEVEL_LABELS[l]}» non è possibile per ${IN_SENTENCE[c]}: ${ACTOR_REASON[l]}`);
        levelsOk = false;
      } else if ((c === "identita" || c === "caricamenti") && !INDIVIDUAL_ONLY.includes(l)) {
        say(`${INDIVIDUAL_WHY[c as "identita" | "caricamenti"]}: solo «Totale», «Limitata al proprio ente» o «Nessuna», non «${SHEET_LEVEL_LABELS[l]}»`);
        levelsOk = false;
      }
    }
    if (!levelsOk) continue;
    if (WIDTH[row.identita] > WIDTH[row.pratiche]) say("l'identità dei beneficiari non può essere più ampia dei dati delle pratiche");
    if (WIDTH[row.importi] > WIDTH[row.pratiche]) say("gli importi non possono essere più ampi dei dati delle pratiche");
    else if (row.importi !== row.pratiche && !(row.pratiche === "territorio_anonima" && row.importi === "aggregata"))
      say(
        "gli importi hanno lo stesso livello dei dati delle pratiche (pagine ed esportazioni li mostrano insieme); si possono solo togliere dalle righe anonime, scegliendo «Aggregata» quando le pratiche sono «Individuale anonima nel proprio territorio»",
      );
    if (WIDTH[row.caricamenti] > WIDTH[row.identita]) say("i flussi caricati contengono l'identità dei beneficiari: non possono essere più ampi dell'identità dei beneficiari");
  }
  return problems;
}

/*
 * The stored sheet, cached per process until the NOTIFY of migration 0035's trigger (db/notified-cache.ts).
 */
const sheetCache = notifiedCache("visibility_sheet", async (db): Promise<Sheet> => {
  const rows = await db.execute<{ actor_type: string; category: string; level: string }>(sql`select actor_type, category, level from visibility_sheet`);
  const sheet = Object.fromEntries(ACTOR_TYPES.map((a) => [a, { ...DEFAULT_SHEET[a] }])) as Sheet;
  for (const r of rows)
    if (isActorType(r.actor_type) && isCategory(r.category) && isLevel(r.level)) sheet[r.actor_type][r.category] = r.level;
  return sheet;
});

/** Empties this process's cache (the writer calls it after its commit; the NOTIFY does it everywhere). */
export const forgetStoredSheet = sheetCache.forget;

export function storedSheet(db: DbOrTx): Promise<Sheet> {
  return sheetCache.get(db);
}

export const isActorType = (s: string): s is ActorType => (ACTOR_TYPES as readonly string[]).includes(s);
export const isCategory = (s: string): s is DataCategory => (DATA_CATEGORIES as readonly string[]).includes(s);
export const isLevel = (s: string): s is SheetLevel => (SHEET_LEVELS as readonly string[]).includes(s);

/** Writes a whole sheet (already free of problems); returns the cells that changed. Call forgetStoredSheet after the commit. */
export async function writeSheet(db: DbOrTx, sheet: Sheet) {
  const before = await storedSheet(db);
  const changes: { actor: ActorType; category: DataCategory; from: SheetLevel; to: SheetLevel }[] = [];
  for (const a of ACTOR_TYPES)
    for (const c of DATA_CATEGORIES) if (before[a][c] !== sheet[a][c]) changes.push({ actor: a, category: c, from: before[a][c], to: sheet[a][c] });
  for (const ch of changes)
    await db.execute(sql`
      insert into visibility_sheet (actor_type, category, level, updated_at) values (${ch.actor}, ${ch.category}, ${ch.to}, now())
      on conflict (actor_type, category) do update set level = excluded.level, updated_at = now()`);
  return changes;
}

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

/** The viewer's level for a category, from the stored sheet. */
export async function sheetLevel(db: DbOrTx, viewer: Pick<Viewer, "role" | "territory">, category: DataCategory): Promise<SheetLevel> {
  const actor = actorTypeOf(viewer);
  return actor ? (await storedSheet(db))[actor][category] : "nessuna";
}

/**
 * For queries returning individual rows of a category: null when the viewer sees every gestore's,
 * its own gestore's id when limited to it; any other level reads no individual row here
 * (OutOfScopeError; anonymous rows have their own query).
 */
export async function individualGestoreScope(db: DbOrTx, viewer: Viewer, category: DataCategory, objectType: string): Promise<string | null> {
  const level = await sheetLevel(db, viewer, category);
  if (level === "totale") return null;
  if (level === "proprio_ente") {
    if (!viewer.gestoreId) throw new Error("gestore user without gestore");
    return viewer.gestoreId;
  }
  throw new OutOfScopeError(objectType);
}
