import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkbox, formVersion, linkLines, linksToLines, optionalDate, optionalInt, urlOrPath } from "./form-schema";

const first = (schema: z.ZodType, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? { ok: r.data } : { error: r.error.issues[0]!.message };
};

describe("form schema pieces", () => {
  it("optionalInt: empty is null, digits are numbers, anything else an Italian error", () => {
    const s = optionalInt("Durata", 1, 10);
    expect(first(s, "")).toEqual({ ok: null });
    expect(first(s, " 7 ")).toEqual({ ok: 7 });
    expect(first(s, "7.5")).toEqual({ error: "Durata: indicare un numero intero" });
    expect(first(s, "-1")).toEqual({ error: "Durata: indicare un numero intero" });
    expect(first(s, "0")).toEqual({ error: "Durata: almeno 1" });
    expect(first(s, "11")).toEqual({ error: "Durata: al massimo 10" });
  });

  it("optionalDate: only real calendar dates", () => {
    const s = optionalDate("Apertura");
    expect(first(s, "")).toEqual({ ok: null });
    expect(first(s, "2024-02-29")).toEqual({ ok: "2024-02-29" });
    expect(first(s, "2023-02-29")).toEqual({ error: "Apertura: data non valida" });
    expect(first(s, "29/02/2024")).toEqual({ error: "Apertura: data non valida" });
  });

  it("linkLines: «Etichetta | indirizzo», http(s) or local paths only", () => {
    const s = linkLines("Collegamenti");
    expect(first(s, "Bando | https://a.example.it/x?y=1\n\n Guida|/istruzioni ")).toEqual({
      ok: [
        { label: "Bando", url: "https://a.example.it/x?y=1" },
        { label: "Guida", url: "/istruzioni" },
      ],
    });
    expect(first(s, "Attacco | javascript:alert(1)")).toEqual({ error: "Collegamenti: riga 1 non valida, usare «Etichetta | https://indirizzo»" });
    expect(first(s, "Ok | /a\nAltro sito | //evil.example")).toEqual({ error: "Collegamenti: riga 2 non valida, usare «Etichetta | https://indirizzo»" });
    expect(linksToLines([{ label: "A", url: "/a" }])).toBe("A | /a");
  });

  it("urlOrPath, checkbox and formVersion", () => {
    expect(first(urlOrPath("Logo"), "data:image/png;base64,AAAA")).toEqual({ error: "Logo: indicare un indirizzo https://… o un percorso che inizia con /" });
    expect(first(urlOrPath("Logo"), "")).toEqual({ ok: "" });
    expect(first(checkbox, "on")).toEqual({ ok: true });
    expect(first(checkbox, undefined)).toEqual({ ok: false });
    expect(first(formVersion, "3")).toEqual({ ok: 3 });
    expect(first(formVersion, undefined)).toEqual({ error: "Versione del modulo mancante: ricaricare la pagina" });
  });
});
