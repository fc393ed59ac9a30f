import { describe, expect, it } from "vitest";
import { parseFormDefinition } from "./definition";
import { patternProblem } from "./safe-pattern";
import { fieldSchema } from "./validate";

describe("patternProblem: only patterns that cannot hold the server", () => {
  it("accepts the patterns forms use", () => {
    for (const p of ["[A-Z]{2}[0-9]{5}", "\\d{5}", "[A-Za-z ]+", "(IT|SM)\\d{2}[A-Z0-9]{1,23}", "(\\d{3})+", "[a-z]+@[a-z]+\\.it", "(?:abc)?def", "[(+]?\\d+"]) expect(patternProblem(p), p).toBeNull();
  });

  it("refuses nested or alternated repetition, back-references, lookaround, too many unbounded repeats, invalid and over-long ones", () => {
    const nested = "«pattern» ripete un gruppo che contiene a sua volta ripetizioni o alternative (come «(a+)+» o «(a|b)*»): può bloccare il server, va riscritto senza annidarle";
    expect(patternProblem("(a+)+$")).toBe(nested);
    expect(patternProblem("(a|aa)*")).toBe(nested);
    expect(patternProblem("((ab)*c)+")).toBe(nested);
    expect(patternProblem("(x\\d{1,3}){2,}")).toBe(nested);
    expect(patternProblem("(a)\\1")).toBe("«pattern» non ammette riferimenti all'indietro (\\1, \\k<…>)");
    expect(patternProblem("(?=a)a")).toBe("«pattern» non ammette lookahead o lookbehind");
    const costly = "«pattern» ha troppe ripetizioni variabili (*, +, ?, {n,m}) che possono sovrapporsi: verificarlo potrebbe bloccare il server, va semplificato";
    expect(patternProblem("a*a*a*b")).toBe(costly);
    expect(patternProblem("a{0,20}a{0,20}a{0,20}a*a*b")).toBe(costly);
    expect(patternProblem("a*a*b")).toBeNull();
    expect(patternProblem("[A-Z]{1,3}\\d{1,5}[a-z]+")).toBeNull();
    expect(patternProblem("([a-z")).toBe("«pattern» non è un'espressione regolare valida");
    expect(patternProblem("a".repeat(201))).toBe("«pattern» troppo lungo (al massimo 200 caratteri)");
    // A bracket inside a class is a character, not a group.
    expect(patternProblem("[(]+[)]+")).toBeNull();
  });

  it("is the import's rule too: a catastrophic pattern in a JSON file is refused with its path", () => {
    const r = parseFormDefinition({
      display: "wizard",
      components: [{ type: "panel", key: "p", title: "P", components: [{ type: "textfield", key: "codice", label: "Codice", validate: { pattern: "(a+)+b" } }] }],
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]!.path).toBe("components[0] («p»).components[0] («codice»)");
  });

  it("asks for a length limit of at most 1000 characters on a field with a pattern", () => {
    const withPattern = (extra: Record<string, unknown>) =>
      parseFormDefinition({
        display: "wizard",
        components: [{ type: "panel", key: "p", title: "P", components: [{ type: "textarea", key: "note", label: "Note", validate: { pattern: "[a-z ]+", ...extra } }] }],
      });
    const refused = withPattern({});
    expect(!refused.ok && refused.problems.map((p) => p.message)).toEqual(["con «pattern» il testo può essere lungo al massimo 1000 caratteri: impostare «maxLength»"]);
    expect(withPattern({ maxLength: 1000 }).ok).toBe(true);
  });

  it("never runs the pattern on text over the field's limit", () => {
    const schema = fieldSchema({ type: "textfield", key: "codice", label: "Codice", validate: { pattern: "[a-z]+", maxLength: 5 } });
    expect(schema.safeParse(["abcdefgh"]).error?.issues.map((i) => i.message)).toEqual(["Codice: al massimo 5 caratteri"]);
    expect(schema.safeParse(["AB"]).error?.issues.map((i) => i.message)).toEqual(["Codice: formato non valido"]);
    expect(schema.safeParse(["ab"]).success).toBe(true);
  });
});
