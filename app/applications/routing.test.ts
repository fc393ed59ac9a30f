import { describe, expect, it } from "vitest";
import { parseCaseLines, routeApplication, routingRuleSchema, type RoutingRule } from "./routing";

const PROVINCE: RoutingRule = {
  name: "Provincia della sede",
  field: "comuneSede",
  match: "startsWith",
  cases: [
    { value: "058", office: "UFF-RM" },
    { value: "059", office: "UFF-LT" },
  ],
  fallback: null,
};

describe("routing by rule", () => {
  it("keeps the fixed offices when there is no rule", () => {
    expect(routeApplication(["SUAP"], [], {})).toEqual({ ok: true, offices: ["SUAP"], choices: [] });
  });

  it("chooses the office of each case by the answer's prefix", () => {
    expect(routeApplication(["SUAP"], [PROVINCE], { comuneSede: "058091" })).toEqual({
      ok: true,
      offices: ["SUAP", "UFF-RM"],
      choices: [{ rule: "Provincia della sede", field: "comuneSede", value: "058091", office: "UFF-RM", by: "caso" }],
    });
    expect(routeApplication(["SUAP"], [PROVINCE], { comuneSede: "059011" }).ok && routeApplication(["SUAP"], [PROVINCE], { comuneSede: "059011" })).toMatchObject({ offices: ["SUAP", "UFF-LT"] });
  });

  it("compares whole values with «equals», also within a multiple choice", () => {
    const rule: RoutingRule = { name: "Settore", field: "settore", match: "equals", cases: [{ value: "turismo", office: "UFF-TUR" }], fallback: null };
    expect(routeApplication([], [rule], { settore: "turismo" })).toMatchObject({ ok: true, offices: ["UFF-TUR"] });
    expect(routeApplication([], [rule], { settore: "turismo2" })).toEqual({ ok: false, rule: "Settore", value: "turismo2" });
    expect(routeApplication([], [rule], { settore: ["commercio", "turismo"] })).toMatchObject({ ok: true, offices: ["UFF-TUR"] });
  });

  it("falls back when no case matches and the rule names a fallback office", () => {
    expect(routeApplication(["SUAP"], [{ ...PROVINCE, fallback: "UFF-RM" }], { comuneSede: "001272" })).toEqual({
      ok: true,
      offices: ["SUAP", "UFF-RM"],
      choices: [{ rule: "Provincia della sede", field: "comuneSede", value: "001272", office: "UFF-RM", by: "ripiego" }],
    });
  });

  it("answers no office when nothing matches and there is no fallback, also for a missing answer", () => {
    expect(routeApplication(["SUAP"], [PROVINCE], { comuneSede: "001272" })).toEqual({ ok: false, rule: "Provincia della sede", value: "001272" });
    expect(routeApplication(["SUAP"], [PROVINCE], {})).toEqual({ ok: false, rule: "Provincia della sede", value: null });
  });

  it("lists an office once even when a rule picks a fixed one", () => {
    expect(routeApplication(["UFF-RM"], [PROVINCE], { comuneSede: "058091" })).toMatchObject({ offices: ["UFF-RM"] });
  });

  it("validates a rule with Italian messages", () => {
    const bad = (r: object) => routingRuleSchema.safeParse({ ...PROVINCE, ...r }).error?.issues[0]?.message;
    expect(bad({ name: " " })).toBe("Nome della regola: obbligatorio");
    expect(bad({ field: "1campo" })).toBe("Campo del modulo: indicare la chiave di un campo (ad esempio comuneSede)");
    expect(bad({ match: "regex" })).toBe("Confronto: scelta non prevista");
    expect(bad({ cases: [] })).toBe("Casi: indicare almeno un valore con il suo ufficio");
    expect(bad({ cases: parseCaseLines("058 = A\n058 = B") })).toBe("Casi: un valore compare due volte");
    expect(bad({ cases: parseCaseLines("058") })).toBe("Casi: scegliere un ufficio");
  });
});
