import { desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as page from "~/routes/admin.territori";
import { parseAtsCsv } from "~/territories/ats-csv";
import { getDb } from "~db/client";
import { auditLog, sessions } from "~db/schema";
import { cookieFor, PEOPLE, seedDemo, statusOf, userOf } from "../support/actors";

type Outcome = { ok: boolean; message?: string; error?: string; errors?: { row: number; message: string }[] };

let admin: { cookie: string; csrf: string };

const snapshot = async () =>
  getDb().execute<{ ats: string; mapping: string }>(sql`
    select (select string_agg(code || '|' || name || '|' || demo, ',' order by code) from ats) as ats,
      (select string_agg(comune_code || '|' || ats_code || '|' || valid_from, ',' order by comune_code, valid_from) from comune_ats) as mapping`);
const atsOf = async (comune: string, day: string) => (await getDb().execute<{ a: string | null }>(sql`select ats_of(${comune}, ${day}::date) as a`))[0]!.a;

const post = async (csv: string) =>
  (await statusOf(page.action, { path: "/admin/territori", cookie: admin.cookie, form: { csrf: admin.csrf, intent: "import", csv } })).data as Outcome;

beforeAll(async () => {
  await seedDemo();
  const cookie = await cookieFor(PEOPLE.amministratore);
  const u = await userOf(PEOPLE.amministratore);
  const [s] = await getDb().select().from(sessions).where(eq(sessions.userId, u.id)).orderBy(desc(sessions.createdAt));
  admin = { cookie, csrf: s!.csrfToken };
});

describe("the ATS list's lines, checked one by one", () => {
  it("a header is optional, `;` or `,`, dates dd/mm/yyyy or ISO", () => {
    expect(parseAtsCsv("codice_istat_comune;codice_ats;nome_ats;regione;valido_dal\n042002;ATS-11-01;ATS 11 Ancona;11;01/01/2024\n").rows).toEqual([
      { line: 2, comune: "042002", atsCode: "ATS-11-01", atsName: "ATS 11 Ancona", region: "11", validFrom: "2024-01-01" },
    ]);
    expect(parseAtsCsv("042002,ats-11-01,ATS 11 Ancona,Marche,2024-01-01").rows[0]).toMatchObject({ line: 1, atsCode: "ATS-11-01", region: "Marche" });
  });
});

describe("importing the ATS list (administrator's page)", () => {
  it("every wrong line is reported with its number in Italian, and nothing is stored", async () => {
    const before = await snapshot();
    const result = await post(
      [
        "codice_istat_comune;codice_ats;nome_ats;regione;valido_dal",
        "042002;ATS-11-01;ATS 11 Ancona;11;01/01/2024",
        "42002;ATS-11-01;ATS 11 Ancona;11;01/01/2024",
        "999999;ATS-11-01;ATS 11 Ancona;11;01/01/2024",
        "041044;ATS-11-01;ATS 11 Ancona;12;01/01/2024",
        "042010;ATS-11-01;ATS 11 Ancona;11;31/02/2024",
        "042002;ATS-11-02;ATS 11 Ancona;11;01/01/2024",
        "042010;ATS-11-01;Altro nome;11;01/01/2024",
        "042010;DEMO-ATS-042;Finto;11;01/01/2024",
        "042010;ATS-11-01;ATS 11 Ancona",
      ].join("\n"),
    );
    expect(result.ok).toBe(false);
    expect(result.error).toBe("Elenco non caricato: nessuna riga è stata registrata. Correggere le righe indicate e caricare di nuovo il file.");
    expect(result.errors).toEqual([
      { row: 3, message: "codice ISTAT del comune: servono 6 cifre" },
      { row: 4, message: "comune 999999 non presente nell'elenco ISTAT" },
      { row: 5, message: "regione «12» diversa da quella del comune 041044 (11 Marche)" },
      { row: 6, message: "data di validità «31/02/2024» non valida: usare gg/mm/aaaa" },
      { row: 7, message: "comune 042002: più righe valide dalla stessa data (vedi riga 2)" },
      { row: 8, message: "ATS ATS-11-01: nome o regione diversi da quelli della riga 2" },
      { row: 9, message: "codice ATS: il prefisso DEMO- è riservato alla mappatura dimostrativa" },
      { row: 10, message: "attese 5 colonne (codice_istat_comune;codice_ats;nome_ats;regione;valido_dal), trovate 3" },
    ]);
    expect(await snapshot()).toEqual(before);
    expect(before[0]!.ats).toContain("DEMO-ATS-042|ATS Ancona|true");
  });

  it("an empty list is refused", async () => {
    expect(await post("")).toMatchObject({ ok: false, errors: [{ row: 0, message: "Il file è vuoto" }] });
  });

  it("a valid list replaces the demo mapping; a municipality moving ATS from a date keeps its past", async () => {
    expect(await atsOf("042010", "2025-01-01")).toBe("DEMO-ATS-042");
    const result = await post(
      [
        "042002;ATS-11-01;ATS 11 Ancona;11;01/01/2020",
        "042010;ATS-11-01;ATS 11 Ancona;Marche;01/01/2020",
        "042010;ATS-11-02;ATS 12 Jesi;11;01/07/2026",
        "041044;ATS-11-03;ATS 1 Pesaro;11;01/01/2020",
      ].join("\r\n"),
    );
    expect(result).toEqual({ ok: true, message: "Elenco caricato: 4 righe, 3 ATS. La mappatura dimostrativa (228 comuni) è stata sostituita." });
    expect(await atsOf("042010", "2026-06-30")).toBe("ATS-11-01");
    expect(await atsOf("042010", "2026-07-01")).toBe("ATS-11-02");
    expect(await atsOf("042002", "2026-07-01")).toBe("ATS-11-01");
    const [after] = await snapshot();
    expect(after!.ats).toBe("ATS-11-01|ATS 11 Ancona|false,ATS-11-02|ATS 12 Jesi|false,ATS-11-03|ATS 1 Pesaro|false");
    const [audited] = await getDb().select().from(auditLog).where(eq(auditLog.action, "territories.ats_import"));
    expect(audited!.details).toEqual({ ats: 3, rows: 4, demoRemoved: 228 });
  });

  it("a later list adds history; a second row for the same day replaces the ATS", async () => {
    const result = await post(["042002;ATS-11-02;ATS 12 Jesi;11;01/01/2027", "041044;ATS-11-01;ATS 11 Ancona;11;01/01/2020"].join("\n"));
    expect(result.ok).toBe(true);
    expect(await atsOf("042002", "2026-12-31")).toBe("ATS-11-01");
    expect(await atsOf("042002", "2027-01-01")).toBe("ATS-11-02");
    expect(await atsOf("041044", "2026-01-01")).toBe("ATS-11-01");
  });

  it("the page lists the ATS with municipalities today and quotas; the demo notice is gone", async () => {
    const { data } = await statusOf(page.loader, { path: "/admin/territori", cookie: admin.cookie });
    const d = data as Awaited<ReturnType<typeof page.loader>>;
    // By name; today 041044 and 042002 are in ATS-11-01, 042010 has moved to ATS-11-02.
    expect(d.ats.map((a) => [a.code, a.comuni, a.quota, a.demo])).toEqual([
      ["ATS-11-03", 0, 8, false],
      ["ATS-11-01", 2, 8, false],
      ["ATS-11-02", 1, 8, false],
    ]);
    expect(d.regions.find((r) => r.code === "11")).toEqual({ code: "11", name: "Marche", quota: 8, ats: 3 });
  });
});
