import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { worklistAction, worklistPage } from "~/backoffice/pages.server";
import { CsrfInput } from "~/components/csrf-input";
import { formatDate, formatDateTime, HANDLING_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { TakeOverConfirm } from "~/components/take-over";

export const meta: MetaFunction = () => [{ title: "Lavorazione — Monitoraggio pratiche" }];

const CATEGORY_LABELS: Record<string, string> = {
  oltre_limite: "Oltre il tempo massimo dello stato",
  anomalia: "Anomalie degli importi",
  file_scartato: "File scartati senza invio successivo accettato",
  ente_in_ritardo: "Enti gestori in ritardo",
  chiarimento_scaduto: "Chiarimenti senza risposta oltre la scadenza",
  domanda: "Domande online da lavorare",
  integrazione_scaduta: "Integrazioni delle domande online scadute",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "backoffice.work");
  return worklistPage(signedIn, new URL(request.url));
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "backoffice.work");
  return worklistAction(request, signedIn);
}

export default function Worklist() {
  const { rows, counts, total, filter, colleagues, me, page, pages, computedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const location = useLocation();
  /** The same view with other filter values (the page starts over unless given). */
  const withParams = (set: Record<string, string | null>) => {
    const p = new URLSearchParams(location.search);
    p.delete("pagina");
    for (const [k, v] of Object.entries(set)) if (v === null) p.delete(k); else p.set(k, v);
    const q = p.toString();
    return q ? `?${q}` : "?";
  };
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageTitle lead="Le pratiche e gli enti gestori che richiedono l'intervento di un funzionario. Prima quelli della tua struttura.">Lavorazione</PageTitle>
      {result && result.ok ? <div className="alert alert-success" role="status">{result.message}</div> : null}
      {result && !result.ok && result.takeOver ? <TakeOverConfirm takeOver={result.takeOver} cancelTo={`/lavorazione${location.search}`} /> : null}
      {result && !result.ok && !result.takeOver ? <div className="alert alert-danger" role="alert">{result.error}</div> : null}
      {result && result.ok && (result.preview || result.results) ? (
        <div className="table-responsive">
          <table className="table table-sm" data-testid="bulk-outcome">
            <caption>{result.preview ? "Anteprima dell'assegnazione" : "Esito per pratica"}</caption>
            <thead><tr><th scope="col">Pratica</th><th scope="col">Esito</th></tr></thead>
            <tbody>
              {(result.preview ?? result.results ?? []).map((r) => (
                <tr key={r.practiceId} className={r.ok ? "" : "table-danger"}>
                  <td>{"code" in r && r.code ? r.code : r.practiceId}</td>
                  <td>{r.ok ? r.outcome : `Esclusa: ${r.outcome}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav aria-label="Categorie" className="mb-3">
        <ul className="nav nav-pills flex-wrap" data-testid="category-counts">
          <li className="nav-item">
            <Link className={`nav-link${filter.categoria === "" ? " active" : ""}`} aria-current={filter.categoria === "" ? "page" : undefined} to={withParams({ categoria: null })}>
              Tutte <span className="badge bg-light text-dark ms-1">{all}</span>
            </Link>
          </li>
          {Object.entries(CATEGORY_LABELS).map(([k, label]) => (
            <li key={k} className="nav-item">
              <Link className={`nav-link${filter.categoria === k ? " active" : ""}`} aria-current={filter.categoria === k ? "page" : undefined} to={withParams({ categoria: k })}>
                {label} <strong className="badge bg-light text-dark ms-1" data-testid={`count-${k}`}>{counts[k as keyof typeof counts]}</strong>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Form method="get" className="row g-3 mb-3">
        <div className="col-md-5">
          <label htmlFor="categoria" className="form-label">Categoria</label>
          <select id="categoria" name="categoria" className="form-select" defaultValue={filter.categoria}>
            <option value="">Tutte</option>
            {Object.entries(CATEGORY_LABELS).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
          </select>
        </div>
        <div className="col-md-3">
          <label htmlFor="ordina" className="form-label">Ordina per</label>
          <select id="ordina" name="ordina" className="form-select" defaultValue={filter.ordina}>
            <option value="giorni">Giorni di ritardo</option>
            <option value="ente">Ente gestore</option>
          </select>
        </div>
        <div className="col-md-2 d-flex align-items-end">
          <div className="form-check">
            <input className="form-check-input" type="checkbox" id="mie" name="mie" value="1" defaultChecked={filter.mie === "1"} />
            <label className="form-check-label" htmlFor="mie">Solo in carico a me</label>
          </div>
        </div>
        <div className="col-md-2 d-flex align-items-end"><button type="submit" className="btn btn-primary">Filtra</button></div>
      </Form>
      <Form method="post" id="bulk" reloadDocument>
        <CsrfInput />
      </Form>
      <fieldset className="border p-3 mb-4">
        <legend className="h5">Azioni sulle pratiche selezionate</legend>
        <p className="small mb-2">Seleziona le pratiche nella tabella qui sotto, poi scegli l'azione.</p>
        <div className="row g-3">
          <div className="col-md-6">
            <label htmlFor="assignee" className="form-label">Collega della struttura</label>
            <select id="assignee" name="assignee" form="bulk" className="form-select" required>
              <option value="">Scegli…</option>
              {colleagues.map((c) => <option key={c.userId} value={c.userId}>{c.surname} {c.name}</option>)}
            </select>
          </div>
          <div className="col-md-6 d-flex flex-wrap align-items-end gap-2">
            <button type="submit" form="bulk" name="intent" value="bulk-preview" className="btn btn-outline-primary">Anteprima</button>
            <button type="submit" form="bulk" name="intent" value="bulk-assign" className="btn btn-primary">Assegna</button>
            <button type="submit" form="bulk" formAction="/lavorazione/esporta" formNoValidate className="btn btn-outline-secondary">Esporta le selezionate (CSV)</button>
          </div>
        </div>
      </fieldset>
      <p className="small text-muted" data-testid="worklist-freshness">
        Elenco calcolato alle {formatDateTime(computedAt)}: si ricalcola quando cambiano pratiche, caricamenti o richieste di chiarimenti;
        chi ha in carico ogni pratica è sempre aggiornato.
      </p>
      <div className="table-responsive">
      <table className="table">
        <caption>Da lavorare: {total}{pages > 1 ? ` — pagina ${page} di ${pages}` : ""}</caption>
        <thead>
          <tr>
            <th scope="col"><span className="visually-hidden">Seleziona</span></th>
            <th scope="col">Categoria</th>
            <th scope="col">Pratica</th>
            <th scope="col">Ente gestore</th>
            <th scope="col">Misura</th>
            <th scope="col">Dettaglio</th>
            <th scope="col">Lavorazione</th>
            <th scope="col">Azioni</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>
                {r.practiceId !== null ? (
                  <input type="checkbox" form="bulk" name="ids" value={r.practiceId} className="form-check-input" aria-label={`Seleziona la pratica ${r.code}`} />
                ) : null}
              </td>
              <td>{CATEGORY_LABELS[r.category]}{r.ownUnit ? <span className="badge bg-primary ms-1">tua struttura</span> : null}</td>
              <td>
                {r.application ? <Link to={`/domande-ricevute/${r.application.id}`}>{r.application.number}</Link> : r.practiceId !== null ? <Link to={`/pratiche/${r.practiceId}`}>{r.code}</Link> : "—"}
              </td>
              <td>{r.application ? "—" : r.gestoreName}</td>
              <td>{r.application ? r.application.procedure : (r.measureCode ?? "—")}</td>
              <td>{r.detail}</td>
              <td>
                {r.handling ? (
                  <>
                    {HANDLING_LABELS[r.handling.state]}{r.handling.assignee ? `: ${r.handling.assignee}` : ""}
                    {r.handling.priority === "alta" ? <span className="badge bg-danger ms-1">priorità alta</span> : null}
                    {r.handling.dueOn ? <><br /><small>entro il {formatDate(r.handling.dueOn)}</small></> : null}
                  </>
                ) : r.practiceId !== null || r.application ? HANDLING_LABELS.open : "—"}
                {r.application?.dueOn ? <><br /><small data-testid="application-due">termine entro il {formatDate(r.application.dueOn)}</small></> : null}
              </td>
              <td>
                {(r.practiceId !== null || r.application) && r.handling?.assigneeUserId !== me ? (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="work" />
                    <input type="hidden" name="action" value="take" />
                    {r.application ? <input type="hidden" name="applicationId" value={r.application.id} /> : <input type="hidden" name="practiceId" value={r.practiceId!} />}
                    <button type="submit" className="btn btn-outline-primary btn-sm" aria-label={r.application ? `Prendi in carico la domanda ${r.application.number}` : `Prendi in carico la pratica ${r.code}`}>Prendi in carico</button>
                  </Form>
                ) : null}
                {r.about ? (
                  <Link
                    className="btn btn-outline-primary btn-sm"
                    to={`/messaggi?ente=${r.gestoreId}${r.about.uploadId ? `&caricamento=${r.about.uploadId}` : ""}${r.about.measureId ? `&misura=${r.about.measureId}` : ""}`}
                  >
                    Scrivi all'ente
                  </Link>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {pages > 1 ? (
        <nav aria-label="Pagine della lavorazione" className="d-flex flex-wrap gap-2 mb-4">
          {page > 1 ? <Link className="btn btn-outline-primary" rel="prev" to={`${withParams({})}&pagina=${page - 1}`}>Pagina precedente</Link> : null}
          {page < pages ? <Link className="btn btn-outline-primary" rel="next" to={`${withParams({})}&pagina=${page + 1}`}>Pagina successiva</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
