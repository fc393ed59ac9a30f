import { MAX_PATTERN_TEXT, patternProblem } from "./safe-pattern";

/**
 * The form-definition subset (docs/decisions/0060): a form.io wizard (`display: "wizard"`, one
 * `panel` per page) with the components and properties listed here and nothing else. Parsing
 * refuses anything unknown with the path of each offending component, so an import either is
 * stored whole or not at all. Pure: no I/O, usable by pages and server alike.
 */

export const FIELD_TYPES = [
  "textfield",
  "textarea",
  "number",
  "currency",
  "email",
  "phoneNumber",
  "day",
  "datetime",
  "select",
  "radio",
  "selectboxes",
  "checkbox",
  "file",
  "datagrid",
] as const;
export const LAYOUT_TYPES = ["content", "panel", "fieldset", "columns"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type ComponentType = FieldType | (typeof LAYOUT_TYPES)[number];

/** Italian validators, named as Open Forms names its validator plugins (`validate.plugins`). */
export const ITALIAN_VALIDATORS = ["codiceFiscale", "partitaIva", "iban", "cap", "comuneIstat"] as const;
export type ItalianValidator = (typeof ITALIAN_VALIDATORS)[number];

export type Option = { label: string; value: string };

export type Validate = {
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  pattern?: string;
  plugins?: ItalianValidator[];
};

export type Conditional = { show: boolean; when: string; eq: string };

export type Component = {
  type: ComponentType;
  key: string;
  label?: string;
  title?: string;
  legend?: string;
  description?: string;
  placeholder?: string;
  html?: string;
  validate?: Validate;
  conditional?: Conditional;
  /** radio, selectboxes */
  values?: Option[];
  /** select */
  data?: { values: Option[] };
  components?: Component[];
  columns?: { components: Component[]; width?: number }[];
  /** file: accepted extensions or MIME types ("application/pdf,.pdf"), most bytes ("5MB"). */
  filePattern?: string;
  fileMaxSize?: string;
  currency?: string;
  rows?: number;
};

export type FormDefinition = { display: "wizard"; title?: string; components: Component[] };

export type DefinitionProblem = { path: string; message: string };

const COMMON = ["type", "key", "label", "description", "tooltip", "placeholder", "input", "tableView", "validate", "conditional", "id"];
const ALLOWED: Record<ComponentType, string[]> = {
  textfield: [...COMMON],
  textarea: [...COMMON, "rows"],
  number: [...COMMON, "decimalLimit"],
  currency: [...COMMON, "currency"],
  email: [...COMMON],
  phoneNumber: [...COMMON],
  day: [...COMMON],
  datetime: [...COMMON],
  select: [...COMMON, "data", "dataSrc"],
  radio: [...COMMON, "values"],
  selectboxes: [...COMMON, "values"],
  checkbox: [...COMMON],
  file: [...COMMON, "filePattern", "fileMaxSize", "storage"],
  datagrid: [...COMMON, "components"],
  content: ["type", "key", "html", "input", "tableView", "conditional", "id", "label"],
  panel: ["type", "key", "title", "label", "components", "input", "tableView", "conditional", "id"],
  fieldset: ["type", "key", "legend", "label", "components", "input", "tableView", "conditional", "id"],
  columns: ["type", "key", "columns", "input", "tableView", "conditional", "id", "label"],
};
/** The rules each type takes (`plugins`: the Italian validators); the editor offers the same. */
export const VALIDATE_ALLOWED: Partial<Record<ComponentType, string[]>> = {
  textfield: ["required", "minLength", "maxLength", "pattern", "plugins"],
  textarea: ["required", "minLength", "maxLength", "pattern"],
  email: ["required", "maxLength"],
  phoneNumber: ["required", "pattern"],
  number: ["required", "min", "max"],
  currency: ["required", "min", "max"],
  day: ["required"],
  datetime: ["required"],
  select: ["required"],
  radio: ["required"],
  selectboxes: ["required"],
  checkbox: ["required"],
  file: ["required"],
  datagrid: ["required", "minLength", "maxLength"],
};
const TOP_ALLOWED = ["display", "title", "components", "name", "path"];
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,59}$/;
/** Text limits when a model sets none: nothing of a form is unbounded. */
export const DEFAULT_MAX_LENGTH = { textfield: 200, textarea: 4000, email: 254, phoneNumber: 30 } as const;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** "5MB", "500KB", "1024" → bytes; null when unreadable. */
export function parseFileSize(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB)?\s*$/i.exec(s);
  if (!m) return null;
  const unit = (m[2] ?? "B").toUpperCase();
  return Math.round(Number(m[1]) * (unit === "MB" ? 1024 * 1024 : unit === "KB" ? 1024 : 1));
}

function checkOptions(v: unknown, path: string, problems: DefinitionProblem[]) {
  if (!Array.isArray(v) || v.length === 0) {
    problems.push({ path, message: "servono le opzioni (almeno una, con etichetta e valore)" });
    return;
  }
  const seen = new Set<string>();
  v.forEach((o, i) => {
    if (!isObject(o) || !isString(o.label) || !isString(o.value) || o.value === "" || Object.keys(o).some((k) => k !== "label" && k !== "value" && k !== "shortcut"))
      problems.push({ path: `${path}[${i}]`, message: "opzione non valida: servono solo «label» e «value» (testo non vuoto)" });
    else if (seen.has(o.value)) problems.push({ path: `${path}[${i}]`, message: `valore «${o.value}» ripetuto` });
    else seen.add(o.value);
  });
}

function checkComponent(c: unknown, path: string, keys: Set<string>, problems: DefinitionProblem[], depth: number, inGrid: boolean) {
  if (!isObject(c)) {
    problems.push({ path, message: "componente non valido (atteso un oggetto)" });
    return;
  }
  const type = c.type;
  const where = isString(c.key) ? `${path} («${c.key}»)` : path;
  if (!isString(type) || !(type in ALLOWED)) {
    problems.push({ path: where, message: `tipo di componente non supportato: «${String(type)}»` });
    return;
  }
  const t = type as ComponentType;
  for (const prop of Object.keys(c)) {
    if (!ALLOWED[t].includes(prop)) problems.push({ path: where, message: `proprietà non supportata per «${t}»: «${prop}»` });
  }
  if (!isString(c.key) || !KEY.test(c.key)) problems.push({ path: where, message: "chiave («key») mancante o non valida: lettere, cifre e _ (al massimo 60), iniziando con una lettera" });
  else if (keys.has(c.key)) problems.push({ path: where, message: `chiave «${c.key}» ripetuta` });
  else keys.add(c.key);
  for (const text of ["label", "title", "legend", "description", "placeholder", "html", "tooltip"]) {
    if (c[text] !== undefined && !isString(c[text])) problems.push({ path: where, message: `«${text}» deve essere un testo` });
  }
  if ((FIELD_TYPES as readonly string[]).includes(t) && !(isString(c.label) && c.label.trim())) problems.push({ path: where, message: "etichetta («label») mancante" });
  if (c.validate !== undefined) {
    if (!isObject(c.validate)) problems.push({ path: where, message: "«validate» deve essere un oggetto" });
    else {
      const allowed = VALIDATE_ALLOWED[t] ?? [];
      for (const [rule, value] of Object.entries(c.validate)) {
        // form.io writes its defaults out on export: an unset rule is not a use of it.
        if (value === "" || value === false || value === null || (Array.isArray(value) && value.length === 0)) continue;
        if (!allowed.includes(rule)) problems.push({ path: where, message: `regola di validazione non supportata per «${t}»: «${rule}»` });
        else if (rule === "required" && typeof value !== "boolean") problems.push({ path: where, message: "«required» deve essere vero o falso" });
        else if ((rule === "minLength" || rule === "maxLength") && !isInt(value)) problems.push({ path: where, message: `«${rule}» deve essere un intero non negativo` });
        else if ((rule === "min" || rule === "max") && !(typeof value === "number" && Number.isFinite(value))) problems.push({ path: where, message: `«${rule}» deve essere un numero` });
        else if (rule === "pattern") {
          const problem = isString(value) ? patternProblem(value) : "«pattern» non è un'espressione regolare valida";
          if (problem) problems.push({ path: where, message: problem });
        } else if (rule === "plugins" && !(Array.isArray(value) && value.every((p) => (ITALIAN_VALIDATORS as readonly unknown[]).includes(p))))
          problems.push({ path: where, message: `validatore non supportato in «plugins» (ammessi: ${ITALIAN_VALIDATORS.join(", ")})` });
      }
    }
  }
  if (isObject(c.validate)) {
    const v = c.validate;
    if (typeof v.minLength === "number" && typeof v.maxLength === "number" && v.minLength > v.maxLength) problems.push({ path: where, message: "«minLength» supera «maxLength»" });
    if (typeof v.min === "number" && typeof v.max === "number" && v.min > v.max) problems.push({ path: where, message: "«min» supera «max»" });
    // A pattern runs only on text it can check quickly (docs/decisions/0116).
    const limit = typeof v.maxLength === "number" ? v.maxLength : ((DEFAULT_MAX_LENGTH as Record<string, number>)[t] ?? Infinity);
    if (isString(v.pattern) && v.pattern && limit > MAX_PATTERN_TEXT) problems.push({ path: where, message: `con «pattern» il testo può essere lungo al massimo ${MAX_PATTERN_TEXT} caratteri: impostare «maxLength»` });
  }
  if (c.conditional !== undefined) {
    const k = c.conditional;
    const empty = isObject(k) && (k.show === null || k.show === "" || k.show === undefined) && !k.when;
    if (!empty && !(isObject(k) && typeof k.show === "boolean" && isString(k.when) && isString(k.eq) && Object.keys(k).every((p) => ["show", "when", "eq"].includes(p))))
      problems.push({ path: where, message: "«conditional» ammette solo show (vero/falso), when (chiave) ed eq (valore)" });
  }
  if (t === "select") {
    if (c.dataSrc !== undefined && c.dataSrc !== "values") problems.push({ path: where, message: "«dataSrc» ammette solo «values»" });
    if (!isObject(c.data) || Object.keys(c.data).some((p) => p !== "values")) problems.push({ path: where, message: "«data» deve contenere solo «values»" });
    else checkOptions(c.data.values, `${where}.data.values`, problems);
  }
  if (t === "radio" || t === "selectboxes") checkOptions(c.values, `${where}.values`, problems);
  if (t === "file") {
    if (c.fileMaxSize !== undefined) {
      const bytes = isString(c.fileMaxSize) ? parseFileSize(c.fileMaxSize) : null;
      if (bytes === null || bytes <= 0 || bytes > MAX_FILE_BYTES) problems.push({ path: where, message: "«fileMaxSize» non valido (ad esempio «5MB», al massimo 10MB)" });
    }
    if (c.filePattern !== undefined && !(isString(c.filePattern) && c.filePattern.split(",").every((p) => /^(\.[a-z0-9]+|[a-z]+\/[a-z0-9.+-]+)$/i.test(p.trim()))))
      problems.push({ path: where, message: "«filePattern» non valido (ad esempio «.pdf,.jpg» o «application/pdf»)" });
    if (c.storage !== undefined && c.storage !== "base64" && c.storage !== "url") problems.push({ path: where, message: "«storage» non supportato" });
  }
  if (t === "currency" && c.currency !== undefined && c.currency !== "EUR") problems.push({ path: where, message: "«currency» ammette solo EUR" });
  if (t === "panel" && depth > 0) problems.push({ path: where, message: "un «panel» (pagina) può stare solo al primo livello" });
  if (t === "file" && inGrid) problems.push({ path: where, message: "un allegato non può stare in una tabella ripetibile" });
  if (t === "datagrid" && inGrid) problems.push({ path: where, message: "una tabella ripetibile non può contenerne un'altra" });
  else if (inGrid && !(FIELD_TYPES as readonly string[]).includes(t)) problems.push({ path: where, message: "una tabella ripetibile contiene solo campi (niente gruppi, colonne o testi informativi)" });
  const children = (list: unknown, p: string, grid: boolean) => {
    if (!Array.isArray(list)) problems.push({ path: p, message: "«components» deve essere un elenco" });
    else list.forEach((child, i) => checkComponent(child, `${p}[${i}]`, keys, problems, depth + 1, grid));
  };
  if (t === "panel" || t === "fieldset" || t === "datagrid") children(c.components, `${where}.components`, inGrid || t === "datagrid");
  if (t === "columns") {
    if (!Array.isArray(c.columns)) problems.push({ path: where, message: "«columns» deve essere un elenco" });
    else
      c.columns.forEach((col, i) => {
        if (!isObject(col)) problems.push({ path: `${where}.columns[${i}]`, message: "colonna non valida" });
        else children(col.components, `${where}.columns[${i}].components`, inGrid);
      });
  }
}

/**
 * Reads an imported definition. Every problem is reported with its path
 * (`components[1].components[3] («iban»)`), in Italian; only a definition without problems comes back.
 */
export function parseFormDefinition(input: unknown): { ok: true; form: FormDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  if (!isObject(input)) return { ok: false, problems: [{ path: "(modulo)", message: "il modulo deve essere un oggetto JSON" }] };
  for (const prop of Object.keys(input)) if (!TOP_ALLOWED.includes(prop)) problems.push({ path: "(modulo)", message: `proprietà non supportata: «${prop}»` });
  if (input.display !== "wizard") problems.push({ path: "(modulo)", message: "«display» deve essere «wizard» (una pagina per ogni «panel»)" });
  const keys = new Set<string>();
  if (!Array.isArray(input.components) || input.components.length === 0) problems.push({ path: "components", message: "il modulo deve avere almeno una pagina" });
  else
    input.components.forEach((c, i) => {
      if (isObject(c) && c.type !== "panel") problems.push({ path: `components[${i}]`, message: "al primo livello sono ammesse solo pagine («panel»)" });
      checkComponent(c, `components[${i}]`, keys, problems, 0, false);
    });
  // A condition names a field of the form, never itself.
  if (!problems.length) {
    const fields = new Map(allFields(input as FormDefinition).map((f) => [f.key, f]));
    walk(input.components as Component[], (c, path) => {
      const problem = c.conditional?.when ? conditionProblem(c, fields.get(c.conditional.when)) : null;
      if (problem) problems.push({ path: `${path} («${c.key}»)`, message: problem });
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, form: normalise(input as FormDefinition) };
}

/** A condition reads another field of the form; when that field has options, `eq` is one of them. */
function conditionProblem(c: Component, when: FieldRef | undefined): string | null {
  const k = c.conditional!;
  if (!when) return `la condizione cita un campo inesistente: «${k.when}»`;
  if (when.key === c.key) return "la condizione non può citare il campo stesso";
  if (when.type === "file" || when.type === "datagrid") return `la condizione non può leggere «${k.when}» (allegato o tabella ripetibile)`;
  if (when.type === "checkbox" && k.eq !== "true") return `la condizione su una casella di spunta confronta con «true» (spuntata), non con «${k.eq}»`;
  const options = optionsOf(when);
  if (options.length && !options.some((o) => o.value === k.eq)) return `la condizione confronta «${k.when}» con «${k.eq}», che non è tra le sue opzioni`;
  return null;
}

/** Drops form.io's empty defaults so the stored definition says only what it means. */
function normalise(form: FormDefinition): FormDefinition {
  return JSON.parse(
    JSON.stringify(form, (k, v) => {
      if (k === "conditional" && v && !v.when) return undefined;
      if (k === "validate" && v) return Object.fromEntries(Object.entries(v).filter(([, x]) => !(x === "" || x === false || x === null || (Array.isArray(x) && !x.length))));
      if (k === "input" || k === "tableView" || k === "id" || k === "storage" || k === "dataSrc" || k === "tooltip") return undefined;
      return v;
    }),
  );
}

function walk(list: Component[], visit: (c: Component, path: string, parents: Component[]) => void, path = "components", parents: Component[] = []) {
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    visit(c, p, parents);
    if (c.type === "datagrid") return;
    if (c.components) walk(c.components, visit, `${p}.components`, [...parents, c]);
    c.columns?.forEach((col, j) => walk(col.components, visit, `${p}.columns[${j}].components`, [...parents, c]));
  });
}

export type FieldRef = Component & { type: FieldType; page: string; parents: Component[] };

/** Every input field of the form (datagrid counts as one, its columns inside), with its page. */
export function allFields(form: FormDefinition): FieldRef[] {
  const out: FieldRef[] = [];
  for (const panel of form.components) {
    walk(panel.components ?? [], (c, _p, parents) => {
      if ((FIELD_TYPES as readonly string[]).includes(c.type)) out.push({ ...c, type: c.type as FieldType, page: panel.key, parents: [panel, ...parents] });
    });
  }
  return out;
}

export function pageKeys(form: FormDefinition) {
  return form.components.map((p) => p.key);
}

export function optionsOf(c: Component): Option[] {
  return c.type === "select" ? (c.data?.values ?? []) : (c.values ?? []);
}

/** form.io's rule: shown when (value of `when` equals `eq`) matches `show`; hidden containers hide their fields. */
export function isShown(c: Component, data: Record<string, unknown>): boolean {
  if (!c.conditional) return true;
  const v = data[c.conditional.when];
  const equal = Array.isArray(v) ? v.includes(c.conditional.eq) : v !== undefined && v !== null && String(v) === c.conditional.eq;
  return equal === c.conditional.show;
}

export function isFieldShown(f: FieldRef, data: Record<string, unknown>) {
  return f.parents.every((p) => isShown(p, data)) && isShown(f, data);
}

export function fieldLabel(c: Component) {
  return c.label ?? c.title ?? c.legend ?? c.key;
}
