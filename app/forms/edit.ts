import { FIELD_TYPES, parseFormDefinition, type Component, type ComponentType, type DefinitionProblem, type FieldType, type FormDefinition, type Option } from "./definition";

/**
 * The form-model editor's changes (docs/decisions/0093): each one is applied to a copy of the
 * definition, and the result goes through the same `parseFormDefinition` as a JSON import, so
 * the editor can never store what an import would refuse. Pure: no I/O.
 */

/** Types an administrator can add from the editor (layout containers and tables come by import only). */
export type AddableType = Exclude<FieldType, "datagrid"> | "content";
export const ADDABLE_TYPES: readonly AddableType[] = [...FIELD_TYPES.filter((t): t is Exclude<FieldType, "datagrid"> => t !== "datagrid"), "content"];

export const TYPE_LABELS: Record<ComponentType, string> = {
  textfield: "Testo breve",
  textarea: "Testo lungo",
  number: "Numero",
  currency: "Importo in euro",
  email: "E-mail",
  phoneNumber: "Telefono",
  day: "Data",
  datetime: "Data e ora",
  select: "Elenco a discesa",
  radio: "Scelta singola",
  selectboxes: "Scelta multipla",
  checkbox: "Casella di spunta",
  file: "Allegato",
  datagrid: "Tabella ripetibile",
  content: "Testo informativo",
  panel: "Pagina",
  fieldset: "Gruppo di campi",
  columns: "Colonne",
};

/** What the edit form may change; `undefined` leaves a property alone, `null` removes it. */
export type FieldPatch = {
  label?: string;
  description?: string | null;
  html?: string;
  required?: boolean;
  minLength?: number | null;
  maxLength?: number | null;
  min?: number | null;
  max?: number | null;
  pattern?: string | null;
  options?: Option[];
};

export type EditOp =
  | { op: "move"; key: string; dir: "up" | "down" }
  | { op: "remove"; key: string }
  | { op: "addPage"; key: string; title: string }
  | { op: "addField"; page: string; type: AddableType; key: string; label: string }
  | { op: "update"; key: string; patch: FieldPatch };

export type EditResult = { ok: true; form: FormDefinition } | { ok: false; problems: DefinitionProblem[] };

/** The list a component sits in (a page's, a column's, a group's), found by key. */
function locate(list: Component[], key: string): { list: Component[]; index: number } | null {
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (c.key === key) return { list, index: i };
    const inner = (c.components && locate(c.components, key)) || c.columns?.map((col) => locate(col.components, key)).find(Boolean);
    if (inner) return inner;
  }
  return null;
}

const missing = (key: string): EditResult => ({ ok: false, problems: [{ path: `«${key}»`, message: "componente inesistente (forse è stato appena rimosso)" }] });

function setRule(c: Component, rule: keyof NonNullable<Component["validate"]>, value: unknown) {
  if (value === undefined) return;
  const v: Record<string, unknown> = { ...(c.validate ?? {}) };
  if (value === null || value === false) delete v[rule];
  else v[rule] = value;
  c.validate = Object.keys(v).length ? (v as Component["validate"]) : undefined;
  if (!c.validate) delete c.validate;
}

function newComponent(type: AddableType, key: string, label: string): Component {
  if (type === "content") return { type, key, html: label };
  const c: Component = { type, key, label };
  const placeholder = [{ label: "Opzione 1", value: "opzione1" }];
  if (type === "select") c.data = { values: placeholder };
  if (type === "radio" || type === "selectboxes") c.values = placeholder;
  if (type === "file") {
    c.filePattern = "application/pdf,.pdf";
    c.fileMaxSize = "5MB";
  }
  return c;
}

/** Applies one change to a copy of `form`; only a result the import would accept comes back. */
export function applyEdit(form: FormDefinition, op: EditOp): EditResult {
  const next = structuredClone(form);
  switch (op.op) {
    case "move": {
      const at = locate(next.components, op.key);
      if (!at) return missing(op.key);
      const to = op.dir === "up" ? at.index - 1 : at.index + 1;
      if (to < 0 || to >= at.list.length) return { ok: false, problems: [{ path: `«${op.key}»`, message: op.dir === "up" ? "è già il primo" : "è già l'ultimo" }] };
      const [moved] = at.list.splice(at.index, 1);
      at.list.splice(to, 0, moved!);
      break;
    }
    case "remove": {
      const at = locate(next.components, op.key);
      if (!at) return missing(op.key);
      at.list.splice(at.index, 1);
      break;
    }
    case "addPage":
      next.components.push({ type: "panel", key: op.key, title: op.title, components: [] });
      break;
    case "addField": {
      const page = next.components.find((p) => p.key === op.page);
      if (!page) return missing(op.page);
      (page.components ??= []).push(newComponent(op.type, op.key, op.label));
      break;
    }
    case "update": {
      const at = locate(next.components, op.key);
      if (!at) return missing(op.key);
      const c = at.list[at.index]!;
      const p = op.patch;
      if (p.label !== undefined) {
        if (c.type === "panel") c.title = p.label;
        else if (c.type === "fieldset") c.legend = p.label;
        else if (c.type !== "content" && c.type !== "columns") c.label = p.label;
      }
      if (p.html !== undefined && c.type === "content") c.html = p.html;
      if (p.description !== undefined) {
        if (p.description) c.description = p.description;
        else delete c.description;
      }
      setRule(c, "required", p.required);
      setRule(c, "minLength", p.minLength);
      setRule(c, "maxLength", p.maxLength);
      setRule(c, "min", p.min);
      setRule(c, "max", p.max);
      setRule(c, "pattern", p.pattern);
      if (p.options !== undefined) {
        if (c.type === "select") c.data = { values: p.options };
        else c.values = p.options;
      }
      break;
    }
  }
  const parsed = parseFormDefinition(next);
  return parsed.ok ? { ok: true, form: parsed.form } : parsed;
}

/** A component by key, wherever it sits. */
export function componentByKey(form: FormDefinition, key: string): Component | null {
  const at = locate(form.components, key);
  return at ? at.list[at.index]! : null;
}

/** "valore | Etichetta" one per line (the label alone makes its own value). */
export function parseOptionLines(text: string): Option[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const bar = l.indexOf("|");
      if (bar < 0) return { value: keyFrom(l), label: l };
      return { value: l.slice(0, bar).trim(), label: l.slice(bar + 1).trim() };
    });
}

export function optionLines(options: Option[]) {
  return options.map((o) => `${o.value} | ${o.label}`).join("\n");
}

/** A form.io key from a label: "Ragione sociale" → "ragioneSociale". */
export function keyFrom(label: string) {
  const words = label
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  const key = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join("");
  return (/^[A-Za-z]/.test(key) ? key : `campo${key}`).slice(0, 60);
}
