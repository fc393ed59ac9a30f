import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { officeAction, officeDetailPage } from "~/applications/office.server";
import { AnswerList, ApplicationTimeline } from "~/components/application-form";
import { ApplicationMessages, FILE_KINDS } from "~/components/application-messages";
import { CsrfInput } from "~/components/csrf-input";
import { HandlingBox } from "~/components/dossier";
import { TakeOverConfirm } from "~/components/take-over";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { italianDate } from "~/lib/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Domanda ${data?.number ?? ""} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return officeDetailPage(request, params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  return officeAction(request, params.id ?? "");
}

export default function OfficeApplication() {
  const a = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const pending = a.offices.find((o) => o.code === a.myOffice && !o.opinion);
  const deciding = a.stateKey === "in_istruttoria" || a.stateKey === "integrata";
  return (
    <>
      <PageTitle lead={a.procedure}>{`Domanda ${a.number}`}</PageTitle>
      {result && !result.ok && "takeOver" in result && result.takeOver ? (
        <TakeOverConfirm takeOver={result.takeOver} cancelTo={`/domande-ricevute/${a.id}`} />
      ) : result ? (
        <div className={`alert ${result.ok ? "alert-success" : "alert-danger"}`} role={result.ok ? "status" : "alert"}>{result.ok ? result.message : result.error}</div>
      ) : null}
      <dl className="row">
        <dt className="col-sm-4">Richiedente</dt><dd className="col-sm-8">{a.applicant}</dd>
        <dt className="col-sm-4">Per conto di</dt><dd className="col-sm-8" data-testid="on-behalf">{a.onBehalfOf ?? "A nome proprio"}</dd>
        <dt className="col-sm-4">Stato</dt><dd className="col-sm-8" data-testid="state">{a.state}</dd>
        <dt className="col-sm-4">Ricevuta il</dt><dd className="col-sm-8">{a.submittedAt}</dd>
        {a.integrationDueOn ? <><dt className="col-sm-4">Integrazione attesa entro</dt><dd className="col-sm-8">{italianDate(a.integrationDueOn)}</dd></> : null}
        {a.decisionReasons ? <><dt className="col-sm-4">Motivazioni dell'esito</dt><dd className="col-sm-8">{a.decisionReasons}</dd></> : null}
      </dl>
      <HandlingBox dossier={a.work} />
      <section aria-labelledby="pareri">
        <h2 id="pareri" className="h4">Pareri degli uffici</h2>
        {a.offices.length ? (
          <ul data-testid="opinions">
            {a.offices.map((o) => <li key={o.code}>{o.code}: {o.opinion ? `${o.opinion.outcome}${o.opinion.notes ? ` — ${o.opinion.notes}` : ""} (${formatDateTime(o.opinion.at)})` : "in attesa"}</li>)}
          </ul>
        ) : <p>Nessun ufficio da sentire.</p>}
        {a.routing.length ? (
          <p className="small" data-testid="routing">
            Uffici scelti dalle regole di instradamento:{" "}
            {a.routing.map((c, i) => <span key={c.rule + c.office}>{i ? "; " : ""}«{c.rule}» ({c.field} = {c.value ?? "nessuna risposta"}) → {c.office}{c.by === "ripiego" ? " (ufficio di ripiego)" : ""}</span>)}.
          </p>
        ) : null}
        {pending && a.stateKey === "inviata" ? (
          <Form method="post" className="mb-4">
            <CsrfInput />
            <input type="hidden" name="intent" value="parere" />
            <input type="hidden" name="office" value={pending.code} />
            <fieldset>
              <legend className="fs-6 fw-semibold">Parere del tuo ufficio ({pending.code})</legend>
              <div className="form-check"><input className="form-check-input" type="radio" id="favorevole" name="outcome" value="favorevole" /><label className="form-check-label" htmlFor="favorevole">Favorevole</label></div>
              <div className="form-check"><input className="form-check-input" type="radio" id="sfavorevole" name="outcome" value="sfavorevole" /><label className="form-check-label" htmlFor="sfavorevole">Sfavorevole</label></div>
            </fieldset>
            <div className="form-group mt-3"><label htmlFor="notes" className="active">Note</label><textarea id="notes" name="notes" className="form-control" rows={3} /></div>
            <button type="submit" className="btn btn-primary">Registra il parere</button>
          </Form>
        ) : null}
        {a.handles && a.stateKey === "inviata" && a.offices.length === 0 ? (
          <Form method="post"><CsrfInput /><button type="submit" name="intent" value="avvia" className="btn btn-primary">Avvia l'istruttoria</button></Form>
        ) : null}
      </section>
      {deciding && !a.handles ? (
        <p data-testid="not-handler">L'istruttoria e l'esito spettano all'ufficio che gestisce il procedimento: il tuo ufficio dà il parere.</p>
      ) : null}
      {deciding && a.handles ? (
        <section aria-labelledby="istruttoria" className="mb-4">
          <h2 id="istruttoria" className="h4">Istruttoria</h2>
          <Form method="post" className="mb-4">
            <CsrfInput />
            <input type="hidden" name="intent" value="integrazione" />
            <div className="form-group"><label htmlFor="dueOn" className="active">Integrazione da inviare entro</label><input id="dueOn" name="dueOn" type="date" className="form-control" /></div>
            <button type="submit" className="btn btn-outline-primary">Chiedi un'integrazione</button>
          </Form>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="esito" />
            <fieldset>
              <legend className="fs-6 fw-semibold">Esito</legend>
              <div className="form-check"><input className="form-check-input" type="radio" id="accolta" name="outcome" value="accolta" /><label className="form-check-label" htmlFor="accolta">Accolta</label></div>
              <div className="form-check"><input className="form-check-input" type="radio" id="respinta" name="outcome" value="respinta" /><label className="form-check-label" htmlFor="respinta">Respinta</label></div>
            </fieldset>
            <div className="form-group mt-3"><label htmlFor="reasons" className="active">Motivazioni</label><textarea id="reasons" name="reasons" className="form-control" rows={4} /></div>
            <button type="submit" className="btn btn-primary">Registra l'esito</button>
          </Form>
        </section>
      ) : null}
      <ApplicationTimeline timeline={a.timeline} title="Storia" />
      <section aria-labelledby="documenti">
        <h2 id="documenti" className="h4">Documenti</h2>
        {a.files.length ? (
          <ul>
            {a.files.map((f) => <li key={f.id}><a href={`/domande-ricevute/documenti/${f.id}`}>{f.fileName}</a> ({FILE_KINDS[f.kind] ?? f.kind}, {f.sizeBytes} byte)</li>)}
          </ul>
        ) : <p>Nessun documento.</p>}
      </section>
      <AnswerList answers={a.answers} />
      <ApplicationMessages thread={a.thread} writeLabel="Scrivi al richiedente" otherSide="il richiedente" fileHref={(id) => `/domande-ricevute/documenti/${id}`} />
    </>
  );
}
