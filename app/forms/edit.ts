import {
  FIELD_TYPES,
  fieldLabel,
  parseFormDefinition,
  type Component,
  type ComponentType,
  type Conditional,
  type DefinitionProblem,
  type FieldType,
  type FormDefinition,
  type ItalianValidator,
  type Option,
} from "./definition";

/**
 * The form-model editor's changes (docs/decisions/0093): each one is applied to a copy of the
 * definition, and the result goes through the same `parseFormDefinition` as a JSON import, so
 * the editor can never store what an import would refuse. Pure: no I/O.
 */

/** Types an administrator can add: every field, static text and the containers (docs/decisions/0117). */
export type AddableType = FieldType | "content" | "fieldset" | "columns";
export const ADDABLE_TYPES: readonly AddableType[] = [...FIELD_TYPES, "content", "fieldset", "columns"];
/** A columns component holds at most this many columns: bootstrap's grid stays readable. */
export const MAX_COLUMNS = 4;

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
  /** One Italian validator (`validate.plugins`), or null for none. */
  plugin?: ItalianValidator | null;
  options?: Option[];
};

export type EditOp =
  | { op: "move"; key: string; dir: "up" | "down" }
  | { op: "remove"; key: string }
  | { op: "addPage"; key: string; title: string }
  | { op: "addField"; parent: string; type: AddableType; key: string; label: string }
  | { op: "moveTo"; key: string; to: string }
  | { op: "addColumn"; key: string }
  | { op: "removeColumn"; key: string; index: number }
  | { op: "condition"; key: string; conditional: Conditional | null }
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

/**
 * A place components sit in, by id: a page's or a container's key, or for one column of a
 * `columns` component its key and the column's number from 1 (`sede.2`).
 */
function listOf(form: FormDefinition, id: string): Component[] | null {
  const [key, column, ...rest] = id.split(".");
  const at = key ? locate(form.components, key) : null;
  if (!at || rest.length) return null;
  const c = at.list[at.index]!;
  if (c.type === "columns") return column && /^\d+$/.test(column) ? c.columns?.[Number(column) - 1]?.components ?? null : null;
  if (column !== undefined || !(c.type === "panel" || c.type === "fieldset" || c.type === "datagrid")) return null;
  return (c.components ??= []);
}

export type Destination = { id: string; label: string; page: string };

/** Every place a component can be added or moved to, page by page, for the editor's choices. */
export function destinations(form: FormDefinition): Destination[] {
  const out: Destination[] = [];
  const visit = (list: Component[], page: string, pageKey: string) => {
    const add = (id: string, label: string) => out.push({ id, label, page: pageKey });
    for (const c of list) {
      if (c.type === "fieldset") add(c.key, `${page} › gruppo «${fieldLabel(c)}»`);
      if (c.type === "datagrid") add(c.key, `${page} › tabella «${fieldLabel(c)}»`);
      if (c.type === "columns") c.columns?.forEach((_, i) => add(`${c.key}.${i + 1}`, `${page} › ${columnsName(c)}, colonna ${i + 1}`));
      if (c.type === "fieldset") visit(c.components ?? [], page, pageKey);
      if (c.type === "columns") c.columns?.forEach((col) => visit(col.components, page, pageKey));
    }
  };
  form.components.forEach((p, i) => {
    const page = `Pagina ${i + 1} «${fieldLabel(p)}»`;
    out.push({ id: p.key, label: page, page: p.key });
    visit(p.components ?? [], page, p.key);
  });
  return out;
}

/** Columns have no visible title in form.io; the editor shows their label, else their key. */
export const columnsName = (c: Component) => `colonne «${c.label || c.key}»`;

const refused = (key: string, message: string): EditResult => ({ ok: false, problems: [{ path: `«${key}»`, message }] });

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
  if (type === "fieldset") return { type, key, legend: label, components: [] };
  if (type === "columns") return { type, key, label, columns: [{ components: [] }, { components: [] }] };
  if (type === "datagrid") return { type, key, label, components: [] };
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
      const list = listOf(next, op.parent);
      if (!list) return missing(op.parent);
      list.push(newComponent(op.type, op.key, op.label));
      break;
    }
    case "moveTo": {
      const at = locate(next.components, op.key);
      if (!at) return missing(op.key);
      const moved = at.list[at.index]!;
      if (moved.type === "panel") return refused(op.key, "una pagina non si sposta dentro un'altra: usa «Sposta su» e «Sposta giù»");
      if (locate([moved], op.to.split(".")[0]!)) return refused(op.key, "un componente non può essere spostato dentro sé stesso");
      const list = listOf(next, op.to);
      if (!list) return missing(op.to);
      at.list.splice(at.index, 1);
      list.push(moved);
      break;
    }
    case "addColumn":
    case "removeColumn": {
      const at = locate(next.components, op.key);
      const c = at?.list[at.index];
      if (!c || c.type !== "columns" || !c.columns) return missing(op.key);
      if (op.op === "addColumn") {
        if (c.columns.length >= MAX_COLUMNS) return refused(op.key, `al massimo ${MAX_COLUMNS} colonne`);
        c.columns.push({ components: [] });
        break;
      }
      const column = c.columns[op.index - 1];
      if (!column) return refused(op.key, `colonna ${op.index} inesistente`);
      if (c.columns.length === 1) return refused(op.key, "serve almeno una colonna: per toglierle tutte rimuovi il componente");
      if (column.components.length) return refused(op.key, `la colonna ${op.index} contiene dei campi: spostali o rimuovili prima`);
      c.columns.splice(op.index - 1, 1);
      break;
    }
    case "condition": {
      const at = locate(next.components, op.key);
      if (!at) return missing(op.key);
      const c = at.list[at.index]!;
      if (op.conditional) c.conditional = op.conditional;
      else delete c.conditional;
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
        else if (c.type !== "content") c.label = p.label;
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
      if (p.plugin !== undefined) setRule(c, "plugins", p.plugin && [p.plugin]);
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
