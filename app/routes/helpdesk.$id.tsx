import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, SelectField, TextArea } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { TicketMessages, TicketSummary } from "~/components/ticket";
import { operatorTicketAction, operatorTicketPage } from "~/helpdesk/pages.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Richiesta ${data?.number ?? "di assistenza"} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "helpdesk.work");
  return operatorTicketPage(request, signedIn, params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "helpdesk.work");
  return operatorTicketAction(request, signedIn, params.id ?? "");
}

const hours = (minutes: number) => `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;

export default function OperatorTicket() {
  const t = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const holding = t.assigneeUserId === t.me;
  const open = t.state !== "closed";
  const assignee = t.operators.find((o) => o.value === t.assigneeUserId)?.label;
  return (
    <>
      <PageTitle lead={<Link to="/helpdesk">Torna all'elenco</Link>}>
        Richiesta {t.number}: {t.subject}
      </PageTitle>
      <TicketSummary t={t}>
        <dt className="col-sm-3">Richiedente</dt>
        <dd className="col-sm-9">
          {t.senderName}
          {t.senderEmail ? ` — ${t.senderEmail}` : ""}
          {t.senderPhone ? ` — tel. ${t.senderPhone}` : ""}
        </dd>
        <dt className="col-sm-3">Assegnata a</dt>
        <dd className="col-sm-9" data-testid="assignee">{assignee ?? (t.assigneeUserId ? "un altro operatore" : "nessuno")}</dd>
        <dt className="col-sm-3">Tempi di servizio</dt>
        <dd className="col-sm-9" data-testid="sla">
          prima risposta {hours(t.sla.firstAnswerMinutes)} su {t.sla.firstAnswerHours} h{t.sla.firstAnswerBreached ? " (oltre il limite)" : ""};
          soluzione {hours(t.sla.resolutionMinutes)} su {t.sla.resolutionHours} h{t.sla.resolutionBreached ? " (oltre il limite)" : ""}
          {t.state === "waiting" ? " — sospeso: in attesa di informazioni" : ""}
        </dd>
      </TicketSummary>
      <TicketMessages
        t={t}
        attachmentHref={(id) => `/helpdesk/${t.id}/allegati/${id}`}
        messageAction={(m) =>
          m.side === "operatore" && m.kind === "risposta" && !t.faqProposed ? (
            <Form method="post" className="mt-2">
              <CsrfInput />
              <input type="hidden" name="messageId" value={m.id} />
              <button type="submit" name="intent" value="faq" className="btn btn-outline-secondary btn-xs">
                Proponi come domanda frequente
              </button>
            </Form>
          ) : null
        }
      />
      <FormState result={result}>
        <FormAlert result={result} />
        {open && !holding ? (
          <Form method="post" className="mb-4">
            <CsrfInput />
            <button type="submit" name="intent" value="take" className="btn btn-primary">Prendi in carico</button>
          </Form>
        ) : null}
        {open && t.operators.length > 1 ? (
          <Form method="post" className="row align-items-end mb-4">
            <CsrfInput />
            <SelectField name="userId" label="Assegna a un operatore della coda" className="col-md-8" empty="Scegli" defaultValue="" options={t.operators.filter((o) => o.value !== t.assigneeUserId)} />
            <div className="col-md-4 mb-4">
              <button type="submit" name="intent" value="assign" className="btn btn-outline-primary">Assegna</button>
            </div>
          </Form>
        ) : null}
        {open && holding && t.state !== "waiting" ? (
          // A new message remounts the form, so a sent text does not stay in the field.
          <Form method="post" className="mb-4" key={t.messages.length}>
            <CsrfInput />
            <h2 className="h4 mb-4">Scrivi al richiedente</h2>
            <TextArea name="body" label="Testo" rows={5} required />
            <button type="submit" name="intent" value="answer" className="btn btn-primary me-2">Invia la risposta</button>
            <button type="submit" name="intent" value="ask" className="btn btn-outline-primary">Chiedi informazioni</button>
          </Form>
        ) : null}
        {open ? (
          <Form method="post" className="mb-4">
            <CsrfInput />
            <h2 className="h4 mb-4">Chiudi la richiesta</h2>
            <TextArea name="note" label="Messaggio di chiusura (facoltativo)" rows={3} />
            <button type="submit" name="intent" value="close" className="btn btn-outline-danger">Chiudi la richiesta</button>
          </Form>
        ) : null}
      </FormState>
    </>
  );
}
