import { sql } from "drizzle-orm";
import { saveFaq } from "~/faq/faq.server";
import type { Tx } from "~db/client";

/** The demo's help-desk queues are all worked by the Settore Credito, where Silvia Marchetti is an operator. */
export async function assignDemoQueues(tx: Tx) {
  await tx.execute(sql`update helpdesk_queues set org_unit_id = (select id from org_units where code = 'SETT-CREDITO'), version = version + 1`);
}

/** Two published frequent answers for the public instructions (issue 17, ADR 0099). */
export async function seedDemoFaq(tx: Tx) {
  const who = { system: "demo-data" };
  await saveFaq(tx, who, null, {
    question: "Come accedo all'area riservata con SPID o CIE?",
    answer: "Dalla voce «Accedi» in alto a destra scegli SPID o CIE e segui le istruzioni del tuo gestore di identità. Al primo accesso di un cittadino senza abilitazione viene creata l'area personale per le domande online.",
    category: "tecnica",
    intent: "publish",
  });
  await saveFaq(tx, who, null, {
    question: "Entro quando l'ente gestore deve inviare il flusso delle pratiche?",
    answer: "Ogni misura ha il proprio obbligo di invio, indicato nella pagina «Obblighi di invio» dell'area riservata. Se la scadenza cade in un giorno festivo, slitta al primo giorno lavorativo successivo.",
    category: "funzionale",
    intent: "publish",
  });
}
