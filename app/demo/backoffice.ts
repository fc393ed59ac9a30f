import { eq } from "drizzle-orm";
import type { Actor } from "~/auth/guards.server";
import { handleWork } from "~/backoffice/handling.server";
import { openThread, reply } from "~/backoffice/threads.server";
import { deliverMail } from "~/mail/deliver.server";
import { romeDate } from "~/lib/dates";
import { addDays } from "~/timeliness/calendar";
import { getDb, getSql } from "~db/client";
import { activeAccessesOf, findUserByFiscalCode } from "~db/queries/users";
import { appMeta, gestori } from "~db/schema";

const KEY = "demo.backoffice";

async function actorOf(fiscalCode: string): Promise<Actor> {
  const db = getDb();
  const user = await findUserByFiscalCode(db, fiscalCode);
  if (!user) throw new Error("demo person missing");
  const [first] = await activeAccessesOf(db, user.id);
  const a = first!.access;
  return { userId: user.id, role: a.role, gestoreId: a.gestoreId, orgUnitId: a.orgUnitId, fiscalCode, name: user.name, surname: user.surname, email: user.email, accessId: a.id };
}

/**
 * The back office after a few days of use (runs once, after the demo history and timeliness):
 * the dirigente holds one over-limit practice of Garanzia Impresa with a clarification request to
 * it overdue (so it is in the worklist); Laura holds a recent one of Fidi Adriatico whose request
 * Giuseppe answered with an attachment; Confidi Demo Marche has a message about its obligation.
 */
export async function seedDemoBackoffice(opts: { now: Date }): Promise<boolean> {
  const db = getDb();
  const [done] = await db.select().from(appMeta).where(eq(appMeta.key, KEY));
  if (done) return false;
  const sql = getSql();
  const today = romeDate(opts.now);
  const over = await sql<{ id: string }[]>`
    select p.id from practices p join measures m on m.id = p.measure_id join gestori g on g.id = p.gestore_id
    where g.fiscal_code = '03456789019' and m.code = 'COVID-LIQ'
      and ((p.state = 'IN_ISTRUTTORIA' and ${today}::date - p.state_date > m.max_days_istruttoria)
        or (p.state = 'SOSPESA' and ${today}::date - p.state_date > m.max_days_sospesa))
    order by p.state_date, p.id limit 1`;
  const laura = await actorOf("NRELRA82D45D542F");
  const paolo = await actorOf("RSSPLA70E10A271T");
  const [confidi] = await db.select().from(gestori).where(eq(gestori.fiscalCode, "01234567897"));
  const ago = (days: number) => new Date(opts.now.getTime() - days * 86_400_000);
  if (over.length >= 1) {
    const first = Number(over[0]!.id);
    await handleWork({ actor: paolo }, { practiceId: first!, action: "take", priority: "alta", dueOn: addDays(today, 10) }, ago(6));
    await openThread(
      { actor: paolo },
      { practiceId: first!, kind: "chiarimento", subject: "Motivi della sospensione", body: "Indicare i motivi della sospensione e i documenti attesi dal beneficiario.", dueOn: addDays(today, -2) },
      ago(5),
    );
  }
  // The most recent over-limit practice of Fidi Adriatico (its oldest ones stay free to take).
  const fidi = await sql<{ id: string }[]>`
    select p.id from practices p join measures m on m.id = p.measure_id join gestori g on g.id = p.gestore_id
    where g.fiscal_code = '02345678904' and m.code = 'COVID-LIQ'
      and ((p.state = 'IN_ISTRUTTORIA' and ${today}::date - p.state_date > m.max_days_istruttoria)
        or (p.state = 'SOSPESA' and ${today}::date - p.state_date > m.max_days_sospesa))
    order by p.state_date desc, p.id desc limit 2`;
  if (fidi.length === 2) {
    const practiceId = Number(fidi[0]!.id);
    await handleWork({ actor: laura }, { practiceId, action: "take" }, ago(4));
    const { threadId } = await openThread(
      { actor: laura },
      { practiceId, kind: "chiarimento", subject: "Stato dell'istruttoria", body: "Inviare il verbale dell'ultima verifica.", dueOn: addDays(today, 5) },
      ago(4),
    );
    const pdf = Buffer.from("%PDF-1.4\n% verbale dimostrativo\n%%EOF\n");
    const giuseppe = await actorOf("FRRGPP88B15A271L");
    await reply({ actor: giuseppe }, threadId, "In allegato il verbale.", { file: { name: "verbale-verifica.pdf", bytes: pdf }, docType: "chiarimenti" }, ago(2));
  }
  if (confidi) {
    await openThread(
      { actor: laura },
      { gestoreId: confidi.id, kind: "messaggio", subject: "Primo invio dei flussi COVID-LIQ", body: "Vi ricordiamo che il primo flusso mensile è atteso entro il 15 del mese successivo." },
      new Date(opts.now.getTime() - 86_400_000),
    );
  }
  // Settled now rather than by the worker's queue, as the other demo mail.
  const queued = await sql<{ id: string }[]>`select id from mail_outbox where state = 'queued' and template = 'nuovo-messaggio'`;
  for (const m of queued) await deliverMail(m.id);
  await db.insert(appMeta).values({ key: KEY, value: opts.now.toISOString() }).onConflictDoNothing();
  return true;
}
