import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { answerIntegration, summaryPage } from "~/applications/pages.server";
import { AnswerList, ApplicationTimeline } from "~/components/application-form";
import { ApplicationMessages, FILE_KINDS } from "~/components/application-messages";
import { CsrfInput } from "~/components/csrf-input";
import { italianDate } from "~/lib/dates";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Domanda ${data?.number ?? ""} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return summaryPage(request, params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  return answerIntegration(request, params.id ?? "");
}

export default function ApplicationSummary() {
  const a = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  return (
    <>
      <PageTitle lead={a.procedure}>{a.number ? `Domanda ${a.number}` : "Bozza di domanda"}</PageTitle>
      {search.get("inviata") ? <div className="alert alert-success" role="status">Domanda inviata con il numero {a.number}. Ti abbiamo scritto un'e-mail di conferma.</div> : null}
      <dl className="row">
        <dt className="col-sm-4">Stato</dt><dd className="col-sm-8" data-testid="state">{a.state}</dd>
        <dt className="col-sm-4">Prossimo passo</dt><dd className="col-sm-8">{a.next}</dd>
        <dt className="col-sm-4">Per conto di</dt><dd className="col-sm-8" data-testid="on-behalf">{a.onBehalfOf ?? "A tuo nome"}</dd>
        {a.submittedAt ? <><dt className="col-sm-4">Ricevuta il</dt><dd className="col-sm-8">{a.submittedAt} (ora italiana)</dd></> : null}
        {a.dataSha256 ? <><dt className="col-sm-4">Impronta SHA-256 dei dati</dt><dd className="col-sm-8" style={{ overflowWrap: "anywhere" }}><code>{a.dataSha256}</code></dd></> : null}
      </dl>
      {result ? <div className={`alert ${result.ok ? "alert-success" : "alert-danger"}`} role={result.ok ? "status" : "alert"}>{result.ok ? result.message : result.error}</div> : null}
      {a.decisionReasons ? <p><strong>Motivazioni dell'esito:</strong> {a.decisionReasons}</p> : null}
      {a.integrationDueOn ? (
        <section aria-labelledby="integrazione" className="mb-4">
          <h2 id="integrazione" className="h4">Integrazione richiesta</h2>
          <p>L'ufficio ti chiede un'integrazione entro il {italianDate(a.integrationDueOn)}.</p>
          <Form method="post">
            <CsrfInput />
            <div className="form-group"><label htmlFor="answer" className="active">La tua risposta</label><textarea id="answer" name="answer" className="form-control" rows={4} maxLength={4000} /></div>
            <button type="submit" className="btn btn-primary">Invia l'integrazione</button>
          </Form>
        </section>
      ) : null}
      {a.draft ? <p><Link className="btn btn-primary" to={`/domande/${a.id}`}>Riprendi la compilazione</Link></p> : null}
      <section aria-labelledby="ricevuta">
        <h2 id="ricevuta" className="h4">Ricevuta</h2>
        {a.receiptFileId ? (
          <p><a href={`/domande/documenti/${a.receiptFileId}`} className="btn btn-outline-primary">Scarica la ricevuta (PDF)</a></p>
        ) : a.number ? (
          <p>La ricevuta è in preparazione: ricarica la pagina tra qualche istante.</p>
        ) : (
          <p>La ricevuta si genera dopo l'invio.</p>
        )}
      </section>
      <ApplicationTimeline timeline={a.timeline} title="Storia della domanda" />
      <section aria-labelledby="documenti">
        <h2 id="documenti" className="h4">Documenti</h2>
        {a.files.length ? (
          <ul>
            {a.files.map((f) => <li key={f.id}><a href={`/domande/documenti/${f.id}`}>{f.fileName}</a> ({FILE_KINDS[f.kind] ?? f.kind}, {f.sizeBytes} byte)</li>)}
          </ul>
        ) : <p>Nessun documento.</p>}
      </section>
      <AnswerList answers={a.answers} />
      {a.thread ? <ApplicationMessages thread={a.thread} writeLabel="Scrivi all'ufficio" otherSide="l'ufficio" fileHref={(id) => `/domande/documenti/${id}`} /> : null}
      {a.withdrawable ? (
        <Form method="post" className="mb-4">
          <CsrfInput />
          <button type="submit" name="intent" value="ritira" className="btn btn-outline-danger">Ritira la domanda</button>
        </Form>
      ) : null}
      <p><Link to="/area-personale">Torna all'area personale</Link></p>
    </>
  );
}
