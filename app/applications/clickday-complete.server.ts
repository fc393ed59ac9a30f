import { eq, inArray } from "drizzle-orm";
import type { ChangeAuthor } from "~/audit/audit.server";
import { parseFormDefinition, type FormDefinition } from "~/forms/definition";
import { getConfig } from "~/config.server";
import { log } from "~/lib/logger.server";
import { drizzleOver, getSql } from "~db/client";
import { applications, formModels, procedures } from "~db/schema";
import { submitMany, type SendableDraft } from "./applications.server";

/**
 * The completion of click-day sends (ADR 64): the acknowledgement stored only rank, receipt time,
 * number and who sent, on the entry; here issue 15's sending runs from those rows, in chunks —
 * the machine's SUBMIT with its history and audit rows, the answers shown and their SHA-256, the
 * business sent for, the routing, the number and receipt time on the application, the receipt
 * job and the confirmation mail. The durable marker "to complete" is the ranked entry with no
 * `completed_at`; each chunk sets it in the transaction that does the work, so a re-run (a retried
 * job, a sweep, two workers: `skip locked`) completes what is not completed, and nothing twice.
 */

/** `received_at` as PostgreSQL's text: drizzle's postgres.js driver leaves timestamps unparsed. */
type Due = { application_id: string; received_at: string; number: string; sent_by: ChangeAuthor | null };

/** A click day is at its peak while at least this many of its sends were acknowledged in the last five seconds (a loaded machine's rate dips for a second). */
const PEAK_ACKS = 50;

/**
 * While the click day's peak lasts, its completion waits (polling twice a second), so the cores
 * and PostgreSQL serve the acknowledgements first; never longer than `clickDayCompletionMaxWaitS`
 * after the oldest acknowledgement still to complete, so receipts and mails follow within minutes.
 */
async function waitForPeakEnd(clickDayId: string) {
  const maxWait = getConfig().clickDayCompletionMaxWaitS;
  if (!maxWait) return;
  for (;;) {
    const [s] = await getSql()<{ peak: boolean | null; overdue: boolean | null }[]>`
      select (select received_at >= clock_timestamp() - interval '5 seconds' from click_day_entries
              where click_day_id = ${clickDayId} and rank is not null and completed_at is null order by rank desc offset ${PEAK_ACKS - 1} limit 1) as peak,
             (select received_at < clock_timestamp() - make_interval(secs => ${maxWait}) from click_day_entries
              where click_day_id = ${clickDayId} and rank is not null and completed_at is null order by rank limit 1) as overdue`;
    if (!s?.peak || s.overdue) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Completes the acknowledged sends of a click day (or, for the sweep, of every click day) still to
 * complete, after its peak; returns how many.
 */
export async function completeClickDaySends(clickDayId?: string, chunk = 200): Promise<number> {
  if (!clickDayId) {
    const days = await getSql()<{ id: string }[]>`select distinct click_day_id as id from click_day_entries where rank is not null and completed_at is null`;
    let all = 0;
    for (const d of days) all += await completeClickDaySends(d.id, chunk);
    return all;
  }
  let total = 0;
  for (;;) {
    // Again before each chunk: a peak may resume (or a second wave come) while the leftovers are completed.
    await waitForPeakEnd(clickDayId);
    const done = await getSql().begin(async (tx) => {
      const due = await tx<Due[]>`
        select application_id, received_at, number, sent_by from click_day_entries
        where click_day_id = ${clickDayId} and rank is not null and completed_at is null
        order by rank limit ${chunk}
        for update skip locked`;
      if (!due.length) return 0;
      const db = drizzleOver(tx);
      const rows = await db
        .select({ application: applications, model: formModels, procedure: procedures })
        .from(applications)
        .innerJoin(formModels, eq(formModels.id, applications.formModelId))
        .innerJoin(procedures, eq(procedures.id, applications.procedureId))
        .where(inArray(applications.id, due.map((d) => d.application_id)))
        .for("update", { of: applications });
      const byId = new Map(rows.map((r) => [r.application.id, r]));
      const forms = new Map<string, FormDefinition>();
      const formOf = (model: typeof formModels.$inferSelect) => {
        let form = forms.get(model.id);
        if (!form) {
          const parsed = parseFormDefinition(model.definition);
          if (!parsed.ok) throw new Error("stored form definition no longer valid");
          forms.set(model.id, (form = parsed.form));
        }
        return form;
      };
      // An application no longer a draft was sent some other way (none is, by the refusals of ADR 86): left as it is.
      const sends = due.flatMap((d) => {
        const r = byId.get(d.application_id);
        if (r?.application.state !== "bozza") {
          log.warn(`click day completion: application ${d.application_id} is not a draft, left as it is`);
          return [];
        }
        const draft: SendableDraft = { application: r.application, procedure: r.procedure, form: formOf(r.model) };
        return [{ draft, author: d.sent_by ?? { system: "click-day" }, assigned: { number: d.number, at: new Date(d.received_at) } }];
      });
      if (sends.length) await submitMany(tx, sends, new Date());
      await tx`update click_day_entries set completed_at = clock_timestamp() where application_id = any(${due.map((d) => d.application_id)}::uuid[])`;
      return due.length;
    });
    total += done;
    if (done < chunk) return total;
  }
}
