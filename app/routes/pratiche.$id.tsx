import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { practiceAction, practiceDossierPart } from "~/backoffice/pages.server";
import { Dossier, HandlingBox } from "~/components/dossier";
import { formatDate, formatDateTime, formatMoney, STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { TakeOverConfirm } from "~/components/take-over";
import { viewPractice } from "~/practices/practices.server";
import { stateLimitOf } from "~/timeliness/pages.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Pratica ${data?.practice.code ?? ""} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "practices.view");
  const { actor } = signedIn;
  const d = await viewPractice(request, actor, params.id ?? "");
  const p = d.practice;
  return {
    practice: {
      code: p.code, state: p.state, stateDate: p.stateDate, beneficiaryName: p.beneficiaryName, beneficiaryFiscalCode: p.beneficiaryFiscalCode,
      comune: d.comuneName ? `${d.comuneName} (${d.provinceAbbr})` : p.comuneCode, submittedOn: p.submittedOn,
      amountRequested: p.amountRequested, amountApproved: p.amountApproved, amountDisbursed: p.amountDisbursed, notes: p.notes,
    },
    measure: `${d.measureCode} — ${d.measureName}`,
    gestoreName: d.gestoreName,
    history: d.history.map((h) => ({ ...h, recordedAt: h.recordedAt.toISOString() })),
    overLimit: await stateLimitOf(p),
    id: p.id,
    tab: new URL(request.url).searchParams.get("scheda") === "fascicolo" ? ("fascicolo" as const) : ("dati" as const),
    dossier: await practiceDossierPart(signedIn, { id: p.id, gestoreId: p.gestoreId }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "practices.view");
  return practiceAction(request, signedIn, params.id ?? "");
}

const KIND_LABELS = { created: "Prima segnalazione", transition: "Cambio di stato", update: "Dati aggiornati" } as const;

export default function Practice() {
  const { practice: p, measure, gestoreName, history, overLimit, id, tab, dossier } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead={`${gestoreName} — ${measure}`}>Pratica {p.code}</PageTitle>
      {result && result.ok ? <div className="alert alert-success" role="status">{result.message}</div> : null}
      {result && !result.ok && result.takeOver ? <TakeOverConfirm takeOver={result.takeOver} cancelTo={`/pratiche/${id}`} /> : null}
      {result && !result.ok && !result.takeOver ? <div className="alert alert-danger" role="alert">{result.error}</div> : null}
      {dossier.canWork ? <HandlingBox dossier={dossier} /> : null}
      <ul className="nav nav-tabs mb-3">
        <li className="nav-item">
          <Link className={`nav-link${tab === "dati" ? " active" : ""}`} aria-current={tab === "dati" ? "page" : undefined} to={`/pratiche/${id}`}>Dati e storia</Link>
        </li>
        <li className="nav-item">
          <Link className={`nav-link${tab === "fascicolo" ? " active" : ""}`} aria-current={tab === "fascicolo" ? "page" : undefined} to={`/pratiche/${id}?scheda=fascicolo`}>
            Fascicolo
          </Link>
        </li>
      </ul>
      {tab === "fascicolo" ? (
        <Dossier
          practiceId={id}
          dossier={dossier}
          uploads={[...new Map(history.filter((h) => h.uploadId).map((h) => [h.uploadId!, { id: h.uploadId!, submissionId: h.submissionId, recordedAt: h.recordedAt }])).values()]}
        />
      ) : (
      <>
      <dl className="row">
        <dt className="col-sm-3">Stato</dt>
        <dd className="col-sm-9" data-testid="practice-state">
          {STATE_LABELS[p.state]} dal {formatDate(p.stateDate)}
          {overLimit ? (
            <span className="badge bg-danger ms-2" data-testid="state-limit">
              Oltre il tempo massimo: {overLimit.days} giorni (massimo {overLimit.maxDays})
            </span>
          ) : null}
        </dd>
        <dt className="col-sm-3">Beneficiario</dt>
        <dd className="col-sm-9">{p.beneficiaryName} ({p.beneficiaryFiscalCode})</dd>
        <dt className="col-sm-3">Sede</dt>
        <dd className="col-sm-9">{p.comune}</dd>
        <dt className="col-sm-3">Presentata il</dt>
        <dd className="col-sm-9">{formatDate(p.submittedOn)}</dd>
        <dt className="col-sm-3">Importi</dt>
        <dd className="col-sm-9">
          richiesto {formatMoney(p.amountRequested)}, deliberato {formatMoney(p.amountApproved)}, erogato {formatMoney(p.amountDisbursed)}
        </dd>
        {p.notes ? (
          <>
            <dt className="col-sm-3">Note</dt>
            <dd className="col-sm-9">{p.notes}</dd>
          </>
        ) : null}
      </dl>
      <h2 className="h4">Storia della pratica</h2>
      <ol className="list-group list-group-numbered" data-testid="timeline">
        {history.map((h) => (
          <li key={h.id} className="list-group-item">
            <strong>{KIND_LABELS[h.kind]}</strong>:{" "}
            {h.fromState && h.fromState !== h.toState ? `${STATE_LABELS[h.fromState]} → ` : ""}
            {STATE_LABELS[h.toState]}, data dello stato {formatDate(h.stateDate)}
            <br />
            <small className="text-muted">
              registrato il {formatDateTime(h.recordedAt)}
              {h.uploadId ? (
                <>
                  {" "}dal caricamento <Link to={`/caricamenti/${h.uploadId}`}>{h.submissionId ?? "file"}</Link>
                </>
              ) : null}
              {h.userName ? ` da ${h.userName} ${h.userSurname}` : ""}
              {h.changes ? ` — campi cambiati: ${Object.keys(h.changes).join(", ")}` : ""}
            </small>
          </li>
        ))}
      </ol>
      </>
      )}
    </>
  );
}
