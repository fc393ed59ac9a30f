import { isUuid } from "~db/uuid";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { allFields, fieldLabel, parseFormDefinition } from "~/forms/definition";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { listOrgUnits } from "~db/queries/registry";
import { formModels, procedures } from "~db/schema";
import { caseLines, MATCHES, parseCaseLines, routingRuleSchema, routingRulesSchema, type RoutingRule } from "./routing";

/**
 * The routing page of a procedure (/admin/procedimenti/:id/instradamento, ADR 95): the offices
 * that check every application and the rules choosing more from the answers. Every save is
 * validated by the same zod schema the sending reads the rules with, and by the org units that exist.
 */

export type RoutingResult = { ok: true; message: string } | { ok: false; error: string; form?: string; values?: Record<string, string> };


async function procedureOf(id: string) {
  const [p] = isUuid(id) ? await getDb().select().from(procedures).where(eq(procedures.id, id)) : [];
  if (!p) throw new Response("Procedimento non trovato.", { status: 404 });
  return p;
}

export async function routingPage(request: Request, id: string) {
  await requirePermission(request, "config.manage");
  const p = await procedureOf(id);
  const db = getDb();
  const [units, [model]] = await Promise.all([
    listOrgUnits(db),
    db.select().from(formModels).where(eq(formModels.procedureId, id)).orderBy(desc(formModels.version)).limit(1),
  ]);
  const form = model ? parseFormDefinition(model.definition) : null;
  return {
    procedure: { id: p.id, title: p.title },
    fixed: p.applicationOffices,
    rules: p.applicationRoutingRules.map((r) => ({ ...r, lines: caseLines(r) })),
    offices: units.filter((u) => u.unit.active).map((u) => ({ value: u.unit.code, label: `${u.unit.name} (${u.unit.code})` })),
    fields: form?.ok ? allFields(form.form).filter((f) => f.type !== "file" && f.type !== "datagrid").map((f) => ({ value: f.key, label: `${fieldLabel(f)} (${f.key})` })) : [],
    matches: Object.entries(MATCHES).map(([value, label]) => ({ value, label })),
  };
}

const ruleForm = z.object({
  name: z.string(),
  field: z.string(),
  match: z.string(),
  cases: z.string().max(20_000, "Casi: troppo lunghi"),
  fallback: z.string(),
});

/** The rule posted by one rule form, read with the stored rules' schema. */
function ruleFrom(form: FormData): RoutingRule {
  const raw = ruleForm.safeParse(Object.fromEntries(["name", "field", "match", "cases", "fallback"].map((k) => [k, String(form.get(k) ?? "")])));
  if (!raw.success) throw new InputError(raw.error.issues[0]!.message);
  const parsed = routingRuleSchema.safeParse({ ...raw.data, cases: parseCaseLines(raw.data.cases), fallback: raw.data.fallback.trim() || null });
  if (!parsed.success) throw new InputError(parsed.error.issues[0]!.message);
  return parsed.data;
}

export async function routingAction(request: Request, id: string): Promise<RoutingResult> {
  const signedIn = await requirePermission(request, "config.manage");
  const form = await requireForm(request, signedIn);
  const intent = String(form.get("intent") ?? "");
  const db = getDb();
  try {
    return await db.transaction(async (tx) => {
      const [p] = isUuid(id) ? await tx.select().from(procedures).where(eq(procedures.id, id)).for("update") : [];
      if (!p) throw new InputError("Procedimento inesistente");
      let fixed = p.applicationOffices;
      let rules = [...p.applicationRoutingRules];
      const index = Number(form.get("index") ?? "-1");
      const known = new Set((await listOrgUnits(tx)).map((u) => u.unit.code));
      if (intent === "uffici") fixed = form.getAll("office").map(String);
      else if (intent === "regola") {
        const rule = ruleFrom(form);
        if (Number.isInteger(index) && index >= 0 && index < rules.length) rules[index] = rule;
        else rules.push(rule);
      } else if (intent === "rimuovi-regola" && Number.isInteger(index) && index >= 0 && index < rules.length) rules.splice(index, 1);
      else throw new InputError("Richiesta non valida: ricaricare la pagina.");
      const unknown = [...fixed, ...rules.flatMap((r) => [...r.cases.map((c) => c.office), ...(r.fallback ? [r.fallback] : [])])].filter((c) => !known.has(c));
      if (unknown.length) throw new InputError(`Ufficio inesistente: ${[...new Set(unknown)].join(", ")}. Usare il codice di una struttura (Configurazione › Strutture).`);
      const all = routingRulesSchema.safeParse(rules);
      if (!all.success) throw new InputError(all.error.issues[0]!.message);
      await tx.update(procedures).set({ applicationOffices: [...new Set(fixed)], applicationRoutingRules: all.data, updatedAt: new Date() }).where(eq(procedures.id, id));
      await audit(tx, { actor: signedIn.actor, ip: clientIp(request) }, { action: "procedure.routing", objectType: "procedure", objectId: id, details: { intent, fixed, rules: rules.length } });
      return { ok: true as const, message: intent === "uffici" ? "Uffici sempre coinvolti salvati." : intent === "regola" ? "Regola salvata." : "Regola rimossa." };
    });
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: `${e.message} Nessuna modifica salvata.`, form: intent === "regola" ? String(form.get("index") ?? "nuova") : undefined, values: Object.fromEntries(["name", "field", "match", "cases", "fallback"].map((k) => [k, String(form.get(k) ?? "")])) };
    throw e;
  }
}
