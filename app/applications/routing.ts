import { z } from "zod";

/**
 * Routing by rule (docs/decisions/0095): besides the offices that check every application of a
 * procedure, rules choose an office from one answer — e.g. the first three digits of the ISTAT
 * code of the business's municipality (its province) → the office of that province. A rule is
 * data (a field, a way to compare, a table of cases, an optional fallback), never code. Pure.
 */

export const MATCHES = { equals: "è uguale a", startsWith: "inizia con" } as const;
export type Match = keyof typeof MATCHES;

const officeCode = (label: string) => z.string().trim().min(1, `${label}: scegliere un ufficio`).max(50, `${label}: codice troppo lungo`);

export const routingRuleSchema = z
  .object({
    name: z.string().trim().min(1, "Nome della regola: obbligatorio").max(120, "Nome della regola: al massimo 120 caratteri"),
    field: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_]{0,59}$/, "Campo del modulo: indicare la chiave di un campo (ad esempio comuneSede)"),
    match: z.enum(Object.keys(MATCHES) as [Match, ...Match[]], { message: "Confronto: scelta non prevista" }),
    cases: z
      .array(z.object({ value: z.string().trim().min(1, "Casi: valore vuoto").max(60, "Casi: valore troppo lungo"), office: officeCode("Casi") }))
      .min(1, "Casi: indicare almeno un valore con il suo ufficio")
      .max(200, "Casi: al massimo 200"),
    fallback: officeCode("Ufficio se nessun caso corrisponde").nullable(),
  })
  .refine((r) => new Set(r.cases.map((c) => c.value)).size === r.cases.length, { message: "Casi: un valore compare due volte", path: ["cases"] });

export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const routingRulesSchema = z.array(routingRuleSchema).max(10, "Al massimo 10 regole");

/** What a rule chose, kept in the application's history. */
export type RoutingChoice = { rule: string; field: string; value: string | null; office: string; by: "caso" | "ripiego" };

export type Routed = { ok: true; offices: string[]; choices: RoutingChoice[] } | { ok: false; rule: string; value: string | null };

const answerValues = (v: unknown): string[] =>
  v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v.map(String) : typeof v === "object" ? [] : [String(v)];

/** The offices of one application: the fixed ones, then each rule's choice, in order, without repeats. */
export function routeApplication(fixed: string[], rules: RoutingRule[], data: Record<string, unknown>): Routed {
  const offices = [...fixed];
  const choices: RoutingChoice[] = [];
  for (const rule of rules) {
    const values = answerValues(data[rule.field]);
    let chosen: RoutingChoice | null = null;
    for (const value of values) {
      const hit = rule.cases.find((c) => (rule.match === "equals" ? value === c.value : value.startsWith(c.value)));
      if (hit) {
        chosen = { rule: rule.name, field: rule.field, value, office: hit.office, by: "caso" };
        break;
      }
    }
    if (!chosen && rule.fallback) chosen = { rule: rule.name, field: rule.field, value: values[0] ?? null, office: rule.fallback, by: "ripiego" };
    if (!chosen) return { ok: false, rule: rule.name, value: values[0] ?? null };
    choices.push(chosen);
    offices.push(chosen.office);
  }
  return { ok: true, offices: [...new Set(offices)], choices };
}

/** "valore = CODICE" one per line, as the routing page shows a rule's cases. */
export function parseCaseLines(text: string) {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const eq = l.indexOf("=");
      return eq < 0 ? { value: l, office: "" } : { value: l.slice(0, eq).trim(), office: l.slice(eq + 1).trim() };
    });
}

export function caseLines(rule: RoutingRule) {
  return rule.cases.map((c) => `${c.value} = ${c.office}`).join("\n");
}
