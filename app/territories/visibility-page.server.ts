import {
  ACTOR_TYPE_LABELS,
  ACTOR_TYPES,
  DATA_CATEGORIES,
  DATA_CATEGORY_LABELS,
  SHEET_LEVEL_LABELS,
  SHEET_LEVELS,
  VISIBILITY_SHEET,
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

/** The visibility sheet page: the very table the data layer enforces (db/visibility.ts), in Italian. */
export function visibilitySheetData() {
  return {
    categories: DATA_CATEGORIES.map((c) => ({ key: c, label: DATA_CATEGORY_LABELS[c] })),
    actors: ACTOR_TYPES.map((a) => ({
      key: a,
      label: ACTOR_TYPE_LABELS[a],
      levels: DATA_CATEGORIES.map((c) => ({ key: VISIBILITY_SHEET[a][c], label: SHEET_LEVEL_LABELS[VISIBILITY_SHEET[a][c]] })),
    })),
    legend: SHEET_LEVELS.map((l) => ({ key: l, label: SHEET_LEVEL_LABELS[l], description: LEVEL_DESCRIPTIONS[l] })),
  };
}
