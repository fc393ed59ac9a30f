import { isUuid } from "~db/uuid";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { requireForm, requirePermission, type SignedIn } from "~/auth/guards.server";
import { allFields, fieldLabel, ITALIAN_VALIDATORS, optionsOf, pageKeys, parseFormDefinition, VALIDATE_ALLOWED, type Component, type FormDefinition } from "~/forms/definition";
import { ADDABLE_TYPES, columnsName, componentByKey, destinations, keyFrom, MAX_COLUMNS, optionLines, parseOptionLines, TYPE_LABELS, type EditOp, type FieldPatch } from "~/forms/edit";
import { previewValues } from "~/forms/preview";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { formModels, procedures } from "~db/schema";
import { DefinitionRefused, definitionFromJson, draftFrom, editDraft, emptyDraft, importFormModel, publishFormModel } from "./form-models.server";

/**
 * The administrators' form-model pages (docs/decisions/0093): the list of models, a procedure's
 * versions with import and export, the editor without JSON, one component's edit form and the
 * preview. Routes stay thin; every change goes through form-models.server.ts.
 */

export const MODEL_STATUS_LABELS = { draft: "Bozza", published: "Pubblicata", retired: "Ritirata" } as const;

export type EditorResult = { ok: true; message: string } | { ok: false; error: string; problems: string[]; field?: string };

const whoOf = (request: Request, signedIn: SignedIn) => ({ actor: signedIn.actor, ip: clientIp(request) });

function refusal(e: unknown): EditorResult {
  if (e instanceof DefinitionRefused) return { ok: false, error: `${e.what}: nessuna modifica salvata.`, problems: e.problems.map((p) => `${p.path}: ${p.message}`) };
  if (e instanceof InputError) return { ok: false, error: e.message, problems: [], ...(e.field ? { field: e.field } : {}) };
  throw e;
}

async function modelRow(id: string) {
  const [row] = isUuid(id)
    ? await getDb()
        .select({ model: formModels, procedureTitle: procedures.title })
        .from(formModels)
        .innerJoin(procedures, eq(procedures.id, formModels.procedureId))
        .where(eq(formModels.id, id))
    : [];
  if (!row) throw new Response("Modello non trovato.", { status: 404 });
  const form = parseFormDefinition(row.model.definition);
  if (!form.ok) throw new Error("stored form definition no longer valid");
  return { ...row, form: form.form };
}

/** /admin/moduli: every procedure with its form versions. */
export async function modelsIndex(request: Request) {
  await requirePermission(request, "config.manage");
  const db = getDb();
  const [procs, models] = await Promise.all([
    db.select({ id: procedures.id, title: procedures.title, status: procedures.status }).from(procedures).orderBy(procedures.title),
    db.select({ id: formModels.id, procedureId: formModels.procedureId, version: formModels.version, status: formModels.status }).from(formModels).orderBy(desc(formModels.version)),
  ]);
  return procs.map((p) => ({ ...p, versions: models.filter((m) => m.procedureId === p.id).map((m) => ({ id: m.id, version: m.version, status: MODEL_STATUS_LABELS[m.status] })) }));
}

/** /admin/procedimenti/:id/modulo: the versions of one procedure's form. */
export async function procedureModelsPage(request: Request, procedureId: string) {
  await requirePermission(request, "config.manage");
  const db = getDb();
  const [procedure] = isUuid(procedureId) ? await db.select().from(procedures).where(eq(procedures.id, procedureId)) : [];
  if (!procedure) throw new Response("Procedimento non trovato.", { status: 404 });
  const versions = await db.select().from(formModels).where(eq(formModels.procedureId, procedureId)).orderBy(desc(formModels.version));
  return {
    procedure: { id: procedure.id, title: procedure.title },
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      status: v.status,
      statusLabel: MODEL_STATUS_LABELS[v.status],
      createdAt: v.createdAt.toISOString(),
      publishedAt: v.publishedAt?.toISOString() ?? null,
    })),
  };
}

/** Import of a form.io JSON file, or a new empty draft. */
export async function procedureModelsAction(request: Request, procedureId: string): Promise<EditorResult | Response> {
  const signedIn = await requirePermission(request, "config.manage");
  const form = await requireForm(request, signedIn);
  const who = whoOf(request, signedIn);
  try {
    if (form.get("intent") === "vuoto") {
      const [procedure] = isUuid(procedureId) ? await getDb().select().from(procedures).where(eq(procedures.id, procedureId)) : [];
      if (!procedure) throw new InputError("Procedimento inesistente");
      const row = await emptyDraft(getDb(), who, procedureId, procedure.title);
      return redirectTo(`/admin/moduli/${row.id}?esito=creata`);
    }
    const file = form.get("definizione");
    if (!(file instanceof File) || file.size === 0) throw new InputError("Scegliere il file JSON del modulo da importare.");
    if (file.size > 1024 * 1024) throw new InputError("Il file supera 1 MB: non è un modulo.");
    const row = await importFormModel(getDb(), who, procedureId, definitionFromJson(await file.text()));
    return redirectTo(`/admin/moduli/${row.id}?esito=importata`);
  } catch (e) {
    return refusal(e);
  }
}

const redirectTo = (location: string) => new Response(null, { status: 303, headers: { Location: location } });

type Row = { key: string; type: string; typeLabel: string; label: string; required: boolean; depth: number; first: boolean; last: boolean; editable: boolean; conditional: boolean };

/** The outline the editor lists: each component with its depth and place among its siblings; a column is a heading row. */
function outline(list: Component[], depth = 0): Row[] {
  return list.flatMap((c, i) => {
    const row: Row = {
      key: c.key,
      type: c.type,
      typeLabel: TYPE_LABELS[c.type],
      label: c.type === "content" ? (c.html ?? "").replace(/<[^>]*>/g, "").slice(0, 80) : c.type === "columns" ? columnsName(c) : fieldLabel(c),
      required: !!c.validate?.required,
      depth,
      first: i === 0,
      last: i === list.length - 1,
      editable: true,
      conditional: !!c.conditional,
    };
    const inner =
      c.type === "columns"
        ? (c.columns ?? []).flatMap((col, j) => [
            { key: `${c.key}.${j + 1}`, type: "column", typeLabel: "Colonna", label: `Colonna ${j + 1}`, required: false, depth: depth + 1, first: true, last: true, editable: false, conditional: false },
            ...outline(col.components, depth + 2),
          ])
        : outline(c.components ?? [], depth + 1);
    return [row, ...inner];
  });
}

const NOTICES: Record<string, string> = { importata: "Modello importato come nuova bozza.", creata: "Nuova bozza creata.", salvato: "Modifica salvata.", spostato: "Spostato: ora è in fondo alla destinazione scelta." };

export async function editorPage(request: Request, id: string) {
  await requirePermission(request, "config.manage");
  const { model, procedureTitle, form } = await modelRow(id);
  const outcome = new URL(request.url).searchParams.get("esito");
  return {
    id: model.id,
    procedureId: model.procedureId,
    procedureTitle,
    version: model.version,
    status: model.status,
    statusLabel: MODEL_STATUS_LABELS[model.status],
    notice: NOTICES[outcome ?? ""] ?? null,
    pages: form.components.map((p, i) => ({ key: p.key, title: fieldLabel(p), first: i === 0, last: i === form.components.length - 1, rows: outline(p.components ?? []) })),
    types: ADDABLE_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] })),
    destinations: destinations(form),
  };
}

const keySchema = z.string().trim().max(60);
/** A place in the form: a page's or container's key, or a column as `key.n`. */
const placeSchema = z.string().trim().max(70);
const text = (label: string, max: number) => z.string().trim().max(max, `${label}: al massimo ${max} caratteri`);
const optionalInt = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d*$/, `${label}: indicare un numero intero non negativo`)
    .transform((s) => (s === "" ? null : Number(s)));
const optionalNumber = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^(-?\d+(,\d+)?)?$/, `${label}: indicare un numero (con la virgola per i decimali)`)
    .transform((s) => (s === "" ? null : Number(s.replace(",", "."))));

/** The edit form of one component: only the properties the form posts are changed. */
const patchSchema = z.object({
  label: text("Etichetta", 300).optional(),
  description: text("Testo di aiuto", 1000)
    .transform((s) => s || null)
    .optional(),
  html: text("Testo", 4000).optional(),
  required: z.enum(["on", "off"]).optional(),
  minLength: optionalInt("Lunghezza minima").optional(),
  maxLength: optionalInt("Lunghezza massima").optional(),
  min: optionalNumber("Valore minimo").optional(),
  max: optionalNumber("Valore massimo").optional(),
  pattern: text("Espressione regolare", 300)
    .transform((s) => s || null)
    .optional(),
  plugin: z.enum(["", ...ITALIAN_VALIDATORS], { message: "Validatore italiano: scelta non prevista" }).optional(),
  options: text("Opzioni", 20_000)
    .transform((s) => parseOptionLines(s))
    .optional(),
});

const COLUMN = `Colonna: indicare un numero da 1 a ${MAX_COLUMNS}`;

const opSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("su"), key: keySchema }),
  z.object({ intent: z.literal("giu"), key: keySchema }),
  z.object({ intent: z.literal("rimuovi"), key: keySchema }),
  z.object({ intent: z.literal("aggiungi-pagina"), title: text("Titolo della pagina", 200).min(1, "Titolo della pagina: obbligatorio"), key: keySchema.optional() }),
  z.object({ intent: z.literal("sposta-in"), key: keySchema, to: placeSchema.min(1, "Destinazione: sceglierne una") }),
  z.object({ intent: z.literal("aggiungi-colonna"), key: keySchema }),
  z.object({ intent: z.literal("rimuovi-colonna"), key: keySchema, index: z.coerce.number({ message: COLUMN }).int(COLUMN).min(1, COLUMN).max(MAX_COLUMNS, COLUMN) }),
  z.object({
    intent: z.literal("condizione"),
    key: keySchema,
    show: z.enum(["true", "false"], { message: "Condizione: scegliere «mostra» o «nascondi»" }),
    when: keySchema.min(1, "Condizione: scegliere il campo da cui dipende"),
    eq: text("Valore della condizione", 200).min(1, "Valore della condizione: obbligatorio"),
  }),
  z.object({ intent: z.literal("rimuovi-condizione"), key: keySchema }),
  z.object({
    intent: z.literal("aggiungi-campo"),
    parent: placeSchema,
    type: z.enum(ADDABLE_TYPES, { message: "Tipo di campo: scelta non prevista" }),
    label: text("Etichetta", 300).min(1, "Etichetta: obbligatoria"),
    key: keySchema.optional(),
  }),
  patchSchema.extend({ intent: z.literal("modifica"), key: keySchema }),
]);

function toOp(values: Record<string, string>): EditOp {
  const parsed = opSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(issue?.message ?? "Richiesta non valida", typeof issue?.path[0] === "string" ? issue.path[0] : undefined);
  }
  const v = parsed.data;
  switch (v.intent) {
    case "su":
      return { op: "move", key: v.key, dir: "up" };
    case "giu":
      return { op: "move", key: v.key, dir: "down" };
    case "rimuovi":
      return { op: "remove", key: v.key };
    case "aggiungi-pagina":
      return { op: "addPage", key: v.key || keyFrom(v.title), title: v.title };
    case "aggiungi-campo":
      return { op: "addField", parent: v.parent, type: v.type, key: v.key || keyFrom(v.label), label: v.label };
    case "sposta-in":
      return { op: "moveTo", key: v.key, to: v.to };
    case "aggiungi-colonna":
      return { op: "addColumn", key: v.key };
    case "rimuovi-colonna":
      return { op: "removeColumn", key: v.key, index: v.index };
    case "condizione":
      return { op: "condition", key: v.key, conditional: { show: v.show === "true", when: v.when, eq: v.eq } };
    case "rimuovi-condizione":
      return { op: "condition", key: v.key, conditional: null };
    case "modifica": {
      const patch: FieldPatch = {
        label: v.label,
        description: v.description,
        html: v.html,
        required: v.required === undefined ? undefined : v.required === "on",
        minLength: v.minLength,
        maxLength: v.maxLength,
        min: v.min,
        max: v.max,
        pattern: v.pattern,
        plugin: v.plugin === undefined ? undefined : v.plugin || null,
        options: v.options,
      };
      return { op: "update", key: v.key, patch };
    }
  }
}

/** Every change of the editor: structure, one component, publish, new draft. */
export async function editorAction(request: Request, id: string): Promise<EditorResult | Response> {
  const signedIn = await requirePermission(request, "config.manage");
  const form = await requireForm(request, signedIn);
  const who = whoOf(request, signedIn);
  const values: Record<string, string> = {};
  for (const [k, v] of form) if (k !== "csrf" && typeof v === "string") values[k] = v;
  // An unchecked box posts nothing: the edit form says it carries the box with a hidden field.
  if (values.intent === "modifica" && values.hasRequired === "1") values.required = values.required === "on" ? "on" : "off";
  delete values.hasRequired;
  const { model } = await modelRow(id);
  try {
    if (values.intent === "pubblica") {
      await publishFormModel(getDb(), who, model.id);
      return { ok: true, message: `Versione ${model.version} pubblicata: le nuove domande la useranno; quelle già iniziate tengono la loro.` };
    }
    if (values.intent === "nuova-bozza") {
      const { row, created } = await draftFrom(getDb(), who, model.id);
      return redirectTo(`/admin/moduli/${row.id}${created ? "?esito=creata" : ""}`);
    }
    await editDraft(getDb(), who, model.id, toOp(values));
    if (values.intent === "modifica") return redirectTo(`/admin/moduli/${model.id}?esito=salvato#c-${values.key}`);
    if (values.intent === "sposta-in") return redirectTo(`/admin/moduli/${model.id}?esito=spostato#c-${values.key}`);
    return { ok: true, message: MESSAGES[values.intent!] ?? "Modifica salvata." };
  } catch (e) {
    return refusal(e);
  }
}

const MESSAGES: Record<string, string> = {
  su: "Spostato in su.",
  giu: "Spostato in giù.",
  rimuovi: "Rimosso.",
  "aggiungi-pagina": "Pagina aggiunta.",
  "aggiungi-campo": "Campo aggiunto: apri «Modifica» per completarlo.",
  "aggiungi-colonna": "Colonna aggiunta.",
  "rimuovi-colonna": "Colonna rimossa.",
  condizione: "Condizione salvata.",
  "rimuovi-condizione": "Condizione rimossa: il componente è sempre mostrato.",
};

/** /admin/moduli/:id/campi/:key: one component's edit form, with only the rules its type takes. */
export async function componentPage(request: Request, id: string, key: string) {
  await requirePermission(request, "config.manage");
  const { model, procedureTitle, form } = await modelRow(id);
  const c = componentByKey(form, key);
  if (!c) throw new Response("Componente non trovato.", { status: 404 });
  const rules = rulesOf(c.type);
  return {
    id: model.id,
    procedureTitle,
    version: model.version,
    draft: model.status === "draft",
    component: {
      key: c.key,
      type: c.type,
      typeLabel: TYPE_LABELS[c.type],
      label: c.type === "content" ? "" : c.type === "columns" ? (c.label ?? "") : fieldLabel(c),
      html: c.html ?? "",
      description: c.description ?? "",
      required: !!c.validate?.required,
      hasRequired: rules.includes("required"),
      minLength: c.validate?.minLength ?? null,
      maxLength: c.validate?.maxLength ?? null,
      min: c.validate?.min ?? null,
      max: c.validate?.max ?? null,
      pattern: c.validate?.pattern ?? "",
      rules,
      plugin: (VALIDATE_ALLOWED[c.type] ?? []).includes("plugins") ? (c.validate?.plugins?.[0] ?? "") : null,
      options: ["select", "radio", "selectboxes"].includes(c.type) ? optionLines(optionsOf(c)) : null,
      columns: c.type === "columns" ? (c.columns ?? []).map((col, i) => ({ number: i + 1, fields: col.components.length })) : null,
      maxColumns: MAX_COLUMNS,
    },
    plugins: ITALIAN_VALIDATORS.map((p) => ({ value: p, label: PLUGIN_LABELS[p] })),
    moveTargets: c.type === "panel" ? [] : destinations(form).filter((d) => !componentByKey(asForm(c), d.id.split(".")[0]!) && !holds(form, d.id, c.key)),
    condition: c.type === "panel" ? null : conditionChoices(form, c, new URL(request.url).searchParams.get("quando")),
  };
}

/** One component as a form of one page, to search inside it with the form's own helpers. */
const asForm = (c: Component): FormDefinition => ({ display: "wizard", components: [{ type: "panel", key: "_", components: [c] }] });

/** Whether the place `id` is where `key` already sits (moving it there would change nothing useful). */
function holds(form: FormDefinition, id: string, key: string) {
  const [k, column] = id.split(".");
  const place = componentByKey(form, k!);
  const list = place?.type === "columns" ? place.columns?.[Number(column) - 1]?.components : place?.components;
  return !!list?.some((c) => c.key === key);
}

export const PLUGIN_LABELS: Record<(typeof ITALIAN_VALIDATORS)[number], string> = {
  codiceFiscale: "Codice fiscale",
  partitaIva: "Partita IVA",
  iban: "IBAN",
  cap: "CAP (5 cifre)",
  comuneIstat: "Codice ISTAT del comune (6 cifre)",
};

/**
 * The condition form: the other fields it may read, and for the chosen one its options (or
 * «true» for a check box), so `eq` is picked rather than typed. `asked` is the field chosen with
 * «Scegli il campo» (a GET, so it works without JavaScript); otherwise the stored one.
 */
function conditionChoices(form: FormDefinition, c: Component, asked: string | null) {
  const own = new Set([c.key, ...allFields(asForm(c)).map((f) => f.key)]);
  const fields = allFields(form).filter((f) => !own.has(f.key) && f.type !== "file" && f.type !== "datagrid");
  const current = c.conditional ?? null;
  const when = fields.find((f) => f.key === asked) ?? fields.find((f) => f.key === current?.when) ?? null;
  const values = when ? (when.type === "checkbox" ? [{ value: "true", label: "spuntata" }] : optionsOf(when)) : [];
  return {
    current,
    fields: fields.map((f) => ({ value: f.key, label: `${fieldLabel(f)} (${f.key})` })),
    when: when?.key ?? null,
    whenLabel: when ? fieldLabel(when) : null,
    values: values.length ? values : null,
    eq: current && when && current.when === when.key ? current.eq : "",
  };
}

type Rule = "required" | "minLength" | "maxLength" | "min" | "max" | "pattern";

/** The rules the editor offers per type: the import's own table (docs/decisions/0060); the Italian validator is its own choice. */
const rulesOf = (type: Component["type"]) => (VALIDATE_ALLOWED[type] ?? []).filter((r): r is Rule => r !== "plugins");

/** /admin/moduli/:id/anteprima: the form as the applicant sees it, drawn by the same components; nothing is saved. */
export async function previewPage(request: Request, id: string) {
  await requirePermission(request, "config.manage");
  const { model, procedureTitle, form } = await modelRow(id);
  const asked = new URL(request.url).searchParams.get("pagina");
  const keys = pageKeys(form);
  const page = asked && keys.includes(asked) ? asked : keys[0]!;
  const { values, carried } = previewValues(form, page, new URL(request.url).searchParams);
  return { id: model.id, procedureTitle, version: model.version, statusLabel: MODEL_STATUS_LABELS[model.status], form, page, fields: allFields(form).length, values, carried };
}

/** /admin/moduli/:id.json: the version as form.io JSON, as the import reads it back. */
export async function exportModel(request: Request, id: string) {
  await requirePermission(request, "config.manage");
  const { model, form } = await modelRow(id);
  const body: FormDefinition = form;
  return new Response(`${JSON.stringify(body, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="modulo-v${model.version}.json"`,
    },
  });
}
