import { z } from "zod";
import type { SignedIn } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import type { ActionOutcome } from "~/components/action-result";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import {
  ACTOR_TYPE_LABELS,
  ACTOR_TYPES,
  DATA_CATEGORIES,
  DATA_CATEGORY_LABELS,
  forgetStoredSheet,
  SHEET_LEVEL_LABELS,
  SHEET_LEVELS,
  sheetProblems,
  storedSheet,
  writeSheet,
  type Sheet,
  type SheetLevel,
} from "~db/visibility";

const LEVEL_DESCRIPTIONS: Record<SheetLevel, string> = {
  totale: "Ogni dato di ogni ente, pratica per pratica.",
  proprio_ente: "Pratica per pratica i dati del proprio ente; degli altri enti solo dati aggregati.",
  territorio_anonima:
    "Dati aggregati del proprio territorio e, per le pratiche, righe anonime scaricabili: pseudonimo diverso per ogni ente, nessun nome né codice fiscale, combinazioni con meno di 5 pratiche generalizzate o escluse.",
  aggregata: "Solo conteggi e somme, senza dati di meno di 5 pratiche.",
  nessuna: "Nessun dato.",
};

/** The form field of a cell: `<actor>.<category>`. */
export const cellName = (actor: string, category: string) => `${actor}.${category}`;

const sheetInput = z.object(
  Object.fromEntries(
    ACTOR_TYPES.flatMap((a) => DATA_CATEGORIES.map((c) => [cellName(a, c), z.enum(SHEET_LEVELS, { message: `Livello non valido: ${ACTOR_TYPE_LABELS[a]}, ${DATA_CATEGORY_LABELS[c]}` })])),
  ) as Record<string, z.ZodEnum<{ [K in SheetLevel]: K }>>,
);

/** The visibility sheet page: the stored sheet the data layer enforces (db/visibility.ts), in Italian. */
export async function visibilitySheetData(sheet?: Sheet) {
  const shown = sheet ?? (await storedSheet(getDb()));
  return {
    categories: DATA_CATEGORIES.map((c) => ({ key: c, label: DATA_CATEGORY_LABELS[c] })),
    actors: ACTOR_TYPES.map((a) => ({
      key: a,
      label: ACTOR_TYPE_LABELS[a],
      levels: DATA_CATEGORIES.map((c) => ({ key: shown[a][c], label: SHEET_LEVEL_LABELS[shown[a][c]] })),
    })),
    options: SHEET_LEVELS.map((l) => ({ key: l, label: SHEET_LEVEL_LABELS[l] })),
    legend: SHEET_LEVELS.map((l) => ({ key: l, label: SHEET_LEVEL_LABELS[l], description: LEVEL_DESCRIPTIONS[l] })),
  };
}

/**
 * Saves the whole sheet sent by the form: parsed, checked for combinations that make no sense
 * (each refused with its Italian reason, nothing written), then written and audited in one
 * transaction; every process's cache is emptied by the table's NOTIFY (ADR 108).
 */
export async function saveVisibilitySheet(request: Request, signedIn: SignedIn, form: FormData): Promise<ActionOutcome & { sent?: Sheet }> {
  const parsed = sheetInput.safeParse(Object.fromEntries([...form].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Richiesta non valida" };
  const sheet = Object.fromEntries(ACTOR_TYPES.map((a) => [a, Object.fromEntries(DATA_CATEGORIES.map((c) => [c, parsed.data[cellName(a, c)]!]))])) as Sheet;
  const problems = sheetProblems(sheet);
  if (problems.length)
    return { ok: false, error: "Scheda non salvata: nessuna modifica è stata registrata. Correggere:", errors: problems.map((message) => ({ row: 0, message })), sent: sheet };
  const db = getDb();
  const changes = await db.transaction(async (tx) => {
    const changed = await writeSheet(tx, sheet);
    if (changed.length)
      await audit(tx, { actor: signedIn.actor, ip: clientIp(request) }, { action: "visibility.sheet_update", objectType: "visibility_sheet", details: { changes: changed } });
    return changed;
  });
  forgetStoredSheet();
  if (!changes.length) return { ok: true, message: "Nessuna modifica: la scheda era già così." };
  return {
    ok: true,
    message: `Scheda salvata: ${changes.map((c) => `${ACTOR_TYPE_LABELS[c.actor].split(" (")[0]}, ${DATA_CATEGORY_LABELS[c.category].toLowerCase()}: ${SHEET_LEVEL_LABELS[c.to].toLowerCase()}`).join("; ")}.`,
  };
}
