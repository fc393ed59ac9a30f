import { describe, expect, it } from "vitest";
import { renderMail, TemplateError } from "~/mail/render.server";

const reminder = {
  gestore: "Confidi <Demo>",
  misura: "COVID-LIQ — Fondo liquidità",
  inizio: "01/10/2026",
  fine: "31/10/2026",
  scadenza: "16/11/2026",
  ritardo: "3 giorni",
  numero: 1,
  periodiMancanti: 1,
  link: "http://localhost:3000/obblighi",
};

describe("timeliness mail templates", () => {
  it("render in Italian, escaping the HTML part only", async () => {
    const m = await renderMail("promemoria-invio", reminder);
    expect(m.subject).toBe("Promemoria n. 1: flusso di monitoraggio COVID-LIQ — Fondo liquidità in ritardo di 3 giorni");
    expect(m.text).toContain("Spettabile Confidi <Demo>,");
    expect(m.html).toContain("Spettabile Confidi &lt;Demo&gt;,");
  });

  it("refuse to render with a variable missing", async () => {
    for (const [name, data] of [
      ["promemoria-invio", { ...reminder, scadenza: undefined }],
      ["segnalazione-ritardi", { destinatario: "Laura Neri", data: "01/12/2026", link: "x", enti: [{ gestore: "G", codiceFiscale: "1", misura: "M", fine: "f", scadenza: "s", promemoria: 3 }] }],
      ["riepilogo-settimanale", { gestore: "G", settimana: "s", altre: 0, link: "x", pratiche: [] }],
    ] as const) {
      await expect(renderMail(name, JSON.parse(JSON.stringify(data)))).rejects.toThrow(TemplateError);
    }
  });
});
