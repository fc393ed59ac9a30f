import type { ChangeAuthor } from "~/audit/audit.server";
import { getBranding } from "~/branding/branding.server";
import { getConfig } from "~/config.server";
import { italianDate } from "~/lib/dates";
import { InputError } from "~/lib/errors";
import { APPLICATION_BINDING, EventRefused, runMachineEvent } from "~/machines/runner.server";
import { queueMail } from "~/mail/outbox.server";
import { getSql } from "~db/client";
import { applicantEmail } from "~db/queries/applications";
import type { ApplicationEvent } from "~workflows/application.machine";

export const STALE_APPLICATION = "La domanda è cambiata nel frattempo (o l'operazione non è ammessa nel suo stato): ricaricare la pagina.";

/** What the applicant is told by mail (number and link only, never the content). */
function newsOf(event: ApplicationEvent): string | null {
  if (event.type === "REQUEST_INTEGRATION") return `ti è stata chiesta un'integrazione, da inviare entro il ${italianDate(event.dueOn)}`;
  if (event.type === "DECIDE") return "è stata decisa: l'esito e le motivazioni sono nella tua area personale";
  return null;
}

/**
 * The moves on a sent application (opinions, integrations asked and answered, decision,
 * withdrawal) through the one runner: a move the machine refuses in the current state writes
 * nothing. An integration request and a decision notify the applicant through the outbox.
 */
export async function applyOfficeEvent(who: ChangeAuthor, id: string, event: Exclude<ApplicationEvent, { type: "SUBMIT" }>, details: Record<string, unknown> = {}) {
  try {
    return await getSql().begin((tx) =>
      runMachineEvent(tx, APPLICATION_BINDING, {
        id,
        event,
        who,
        details,
        followUp: async ({ row, db }) => {
          const news = newsOf(event);
          if (!news || !row.number) return;
          const to = await applicantEmail(db, row.applicantUserId);
          if (!to) return;
          await queueMail(tx, {
            to,
            template: "domanda-aggiornata",
            data: { piattaforma: (await getBranding(db)).bodyName, numero: row.number, novita: news, link: `${getConfig().baseUrl}/domande/${id}/riepilogo` },
          });
        },
      }),
    );
  } catch (e) {
    if (e instanceof EventRefused) throw new InputError(STALE_APPLICATION);
    throw e;
  }
}
