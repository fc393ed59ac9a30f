import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDate, formatDateTime, formatMoney, STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { viewPractice } from "~/practices/practices.server";
import { stateLimitOf } from "~/timeliness/pages.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Pratica ${data?.practice.code ?? ""} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "practices.view");
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
  };
}

const KIND_LABELS = { created: "Prima segnalazione", transition: "Cambio di stato", update: "Dati aggiornati" } as const;

export default function Practice() {
  const { practice: p, measure, gestoreName, history, overLimit } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead={`${gestoreName} — ${measure}`}>Pratica {p.code}</PageTitle>
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
  );
}
