import type { ChangeAuthor } from "~/audit/audit.server";
import { APPLICATION_BINDING, EventRefused, runMachineEvent } from "~/machines/runner.server";
import { InputError } from "~/lib/errors";
import { getSql } from "~db/client";
import type { ApplicationEvent } from "~workflows/application.machine";

export const STALE_APPLICATION = "La domanda è cambiata nel frattempo (o l'operazione non è ammessa nel suo stato): ricaricare la pagina.";

/**
 * The offices' moves on an application (opinion, integration request, decision) through the
 * one runner: a move the machine refuses in the current state writes nothing.
 */
export async function applyOfficeEvent(who: ChangeAuthor, id: string, event: Exclude<ApplicationEvent, { type: "SUBMIT" }>) {
  try {
    return await getSql().begin((tx) => runMachineEvent(tx, APPLICATION_BINDING, { id, event, who }));
  } catch (e) {
    if (e instanceof EventRefused) throw new InputError(STALE_APPLICATION);
    throw e;
  }
}
