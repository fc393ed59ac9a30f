import { eq, sql as q } from "drizzle-orm";
import { addGestore, addMeasure, addOrgUnit, addUserWithAccess } from "~/registry/registry.server";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { receiveUpload } from "~/uploads/receive.server";
import { demoHistoryFiles } from "./history";
import { connect } from "~db/client";
import { appMeta } from "~db/schema";
import { DEMO_IDENTITIES } from "./identities";
import { assignDemoQueues, seedDemoFaq } from "./helpdesk";
import { seedOnce } from "./once";

const SEEDED_KEY = "demo.seeded";
const who = { system: "demo-data" };

/** Loads the demo installation once; returns false when it was already there. */
export async function seedDemoData(url: string): Promise<boolean> {
  return seedOnce(url, SEEDED_KEY, async (tx) => {
    await addOrgUnit(tx, who, { code: "SETT-CREDITO", name: "Settore Credito e finanza d'impresa" });
    await addOrgUnit(tx, who, { code: "DIR-SVILUPPO", name: "Direzione Sviluppo economico" });
    await addOrgUnit(tx, who, { code: "SIST-INFO", name: "Settore Sistemi informativi" });
    // The two offices that check online applications side by side (issue 15).
    await addOrgUnit(tx, who, { code: "SPORTELLO-IMPRESE", name: "Sportello unico per le imprese" });
    await addOrgUnit(tx, who, { code: "UFF-LAVORO", name: "Ufficio territoriale del lavoro" });
    await addGestore(tx, who, { cf: "01234567897", name: "Confidi Demo Marche", email: "info@confidi-demo.example.it", pec: "confididemo@pec.example.it" });
    await addGestore(tx, who, { cf: "02345678904", name: "Fidi Adriatico soc. coop.", email: "segreteria@fidi-adriatico.example.it", pec: "fidiadriatico@pec.example.it" });
    await addGestore(tx, who, { cf: "03456789019", name: "Garanzia Impresa Centro Italia", email: "info@garanzia-impresa.example.it" });
    await addMeasure(tx, who, {
      code: "COVID-LIQ",
      name: "Fondo liquidità COVID-19",
      description: "Garanzie e contributi per la liquidità delle imprese colpite dall'emergenza COVID-19.",
      gestori: ["01234567897", "02345678904", "03456789019"],
    });
    await addMeasure(tx, who, {
      code: "INNOVA-PMI",
      name: "Innovazione digitale delle PMI",
      description: "Finanziamenti agevolati per investimenti in tecnologie digitali.",
      gestori: ["02345678904", "03456789019"],
    });
    for (const p of DEMO_IDENTITIES) {
      // Territorial people come with the demo ATS mapping their territory needs (territories.ts).
      if (!p.role || p.territory) continue;
      await addUserWithAccess(tx, who, {
        cf: p.fiscalCode,
        name: p.name,
        surname: p.familyName,
        email: p.email,
        role: p.role,
        gestore: p.gestore,
        orgUnit: p.orgUnit,
      });
    }
    await assignDemoQueues(tx);
    await seedDemoFaq(tx);
  });
}

const HISTORY_KEY = "demo.history";

/**
 * Months of uploads for the demo gestori other than 01234567897 (kept empty for a newcomer's
 * first upload), sent through the real pipeline so every page has data from the first start.
 */
export async function seedDemoHistory(url: string, opts: { perMonth?: number } = {}): Promise<boolean> {
  const { sql, db } = connect(url, { max: 1 });
  try {
    const [done] = await db.select().from(appMeta).where(eq(appMeta.key, HISTORY_KEY));
    if (done) return false;
    const months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"];
    const plans = [
      { cf: "02345678904", measures: ["COVID-LIQ", "INNOVA-PMI"], seed: 11, broken: [2, 7] },
      { cf: "03456789019", measures: ["COVID-LIQ", "INNOVA-PMI"], seed: 23, broken: [5] },
    ];
    for (const plan of plans) {
      const [g] = await sql<{ id: string }[]>`select id from gestori where fiscal_code = ${plan.cf}`;
      for (const f of demoHistoryFiles({ ...plan, months, perMonth: opts.perMonth ?? 250 })) {
        await receiveUpload({
          gestoreId: g!.id,
          userId: null,
          channel: "api",
          fileName: f.name,
          body: (async function* () {
            yield Buffer.from(f.content);
          })(),
          who: { actor: null, ip: null },
        });
        await ingestPendingUploads(g!.id, { today: "2026-11-15" });
      }
    }
    await db.insert(appMeta).values({ key: HISTORY_KEY, value: new Date().toISOString() });
    return true;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
