import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { ActionResult } from "~/components/action-result";
import { SelectField } from "~/components/form-fields";
import { ConfirmAction } from "~/components/confirm-action";
import { CsrfInput } from "~/components/csrf-input";
import { ACCESS_STATUS_LABELS, formatDate, formatDateTime, REQUEST_STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { handleRequesterAction, requesterPageData } from "~/enablement/pages.server";

export const meta: MetaFunction = () => [{ title: "Abilitazioni — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requesterPageData(await requirePermission(request, "enablement.request"));
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "enablement.request");
  return handleRequesterAction(request, signedIn, await requireForm(request, signedIn));
}

export default function Enablements() {
  const { scopeLabel, inactiveNotice, roles, people, requests, territories } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result && !result.ok && result.values && !("csv" in result.values) ? result.values : undefined;
  const needsConfirm = Boolean(result && !result.ok && result.warnings?.length && !result.errors?.length && values);
  return (
    <>
      <PageTitle lead={`Le persone abilitate per ${scopeLabel}, le richieste inviate e la richiesta di nuove abilitazioni. La revoca ha effetto immediato; le nuove abilitazioni sono approvate dagli amministratori regionali.`}>
        Abilitazioni
      </PageTitle>
      <ActionResult result={result} />

      <h2 className="h4">Persone abilitate</h2>
      <div className="table-responsive mb-5">
        <table className="table">
          <caption className="visually-hidden">Persone abilitate e loro stato</caption>
          <thead>
            <tr>
              <th scope="col">Persona</th>
              <th scope="col">Codice fiscale</th>
              <th scope="col">Ruolo</th>
              {territories.length > 1 ? <th scope="col">Territorio</th> : null}
              <th scope="col">Stato</th>
              <th scope="col">Scadenza</th>
              <th scope="col">Azioni</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.accessId}>
                <td><Link to={`/abilitazioni/persone/${p.userId}`}>{p.fullName}</Link></td>
                <td className="text-nowrap">{p.fiscalCode}</td>
                <td>{p.roleLabel}</td>
                {territories.length > 1 ? <td>{p.scopeName}</td> : null}
                <td>{ACCESS_STATUS_LABELS[p.status] ?? p.status}</td>
                <td>
                  {formatDate(p.expiresAt)}
                  {p.status === "active" && p.daysLeft !== null && p.daysLeft <= 30 ? <span className="badge bg-warning text-dark ms-2">tra {p.daysLeft} giorni</span> : null}
                </td>
                <td>
                  <div className="d-flex gap-2 flex-wrap">
                  {p.canRenew ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="renew" />
                      <input type="hidden" name="accessId" value={p.accessId} />
                      <button type="submit" className="btn btn-outline-primary btn-sm" aria-label={`Rinnova ${p.fullName}`}>Rinnova</button>
                    </Form>
                  ) : null}
                  {p.canRevoke ? (
                    <ConfirmAction
                      id={`revoca-${p.accessId}`}
                      trigger="Revoca"
                      triggerLabel={`Revoca ${p.fullName}`}
                      title="Revocare l'abilitazione?"
                      question={`Revocare l'abilitazione di ${p.fullName}? L'effetto è immediato: la persona non potrà più accedere.`}
                      confirmLabel="Revoca l'abilitazione"
                      hidden={{ intent: "revoke", accessId: p.accessId }}
                    />
                  ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="h4" id="nuova">Nuova richiesta di abilitazione</h2>
      {inactiveNotice ? (
        <div className="alert alert-warning" role="alert">
          {inactiveNotice}
        </div>
      ) : null}
      <p>
        Per più persone insieme usa la <Link to="/abilitazioni/elenco">richiesta con elenco CSV</Link>.
      </p>
      <Form method="post" className="row g-3 mb-5" aria-labelledby="nuova" key={result?.ok ? "sent" : "form"}>
        <CsrfInput />
        <input type="hidden" name="intent" value="request" />
        <div className="col-md-3">
          <label htmlFor="surname" className="form-label">Cognome</label>
          <input id="surname" name="surname" className="form-control" required maxLength={100} defaultValue={values?.surname} autoComplete="off" />
        </div>
        <div className="col-md-3">
          <label htmlFor="name" className="form-label">Nome</label>
          <input id="name" name="name" className="form-control" required maxLength={100} defaultValue={values?.name} autoComplete="off" />
        </div>
        <div className="col-md-3">
          <label htmlFor="fiscalCode" className="form-label">Codice fiscale</label>
          <input id="fiscalCode" name="fiscalCode" className="form-control text-uppercase" required maxLength={16} minLength={16} defaultValue={values?.fiscalCode} autoComplete="off" />
        </div>
        <div className="col-md-3">
          <label htmlFor="email" className="form-label">E-mail</label>
          <input id="email" name="email" type="email" className="form-control" required defaultValue={values?.email} autoComplete="off" />
        </div>
        <SelectField name="role" label="Ruolo" className="col-md-4" defaultValue={values?.role ?? roles[0]?.value} options={roles} />
        {territories.length > 1 ? (
          <SelectField name="territory" label="Territorio" className="col-md-4" defaultValue={values?.territory || territories[0]?.value} options={territories} />
        ) : null}
        {needsConfirm ? (
          <div className="col-12">
            <div className="form-check">
              <input className="form-check-input" type="checkbox" id="confirm" name="confirm" value="1" />
              <label className="form-check-label" htmlFor="confirm">Confermo che codice fiscale, cognome e nome sono corretti</label>
            </div>
          </div>
        ) : null}
        <div className="col-md-4 d-flex align-items-end">
          <button type="submit" className="btn btn-primary">Invia richiesta</button>
        </div>
      </Form>

      <h2 className="h4">Richieste inviate</h2>
      <div className="table-responsive">
        <table className="table">
          <caption className="visually-hidden">Richieste di abilitazione inviate</caption>
          <thead>
            <tr>
              <th scope="col">Persona</th>
              <th scope="col">Ruolo</th>
              {territories.length > 1 ? <th scope="col">Territorio</th> : null}
              <th scope="col">Inviata</th>
              <th scope="col">Da</th>
              <th scope="col">Stato</th>
              <th scope="col">Azioni</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id}>
                <td><Link to={`/abilitazioni/persone/${r.personKey}`}>{r.fullName}</Link></td>
                <td>{r.roleLabel}</td>
                {territories.length > 1 ? <td>{r.scopeName}</td> : null}
                <td>{formatDateTime(r.createdAt)}</td>
                <td>{r.requesterName}</td>
                <td>
                  {REQUEST_STATE_LABELS[r.state] ?? r.state}
                  {r.state === "rejected" && r.reason ? <span className="d-block small">Motivo: {r.reason}</span> : null}
                </td>
                <td>
                  {r.state === "submitted" ? (
                    <ConfirmAction
                      id={`ritira-${r.id}`}
                      trigger="Ritira"
                      triggerLabel={`Ritira la richiesta per ${r.fullName}`}
                      triggerClass="btn-outline-secondary"
                      title="Ritirare la richiesta?"
                      question={`Ritirare la richiesta di abilitazione per ${r.fullName}?`}
                      confirmLabel="Ritira la richiesta"
                      hidden={{ intent: "withdraw", requestId: r.id }}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
            {requests.length === 0 ? (
              <tr><td colSpan={territories.length > 1 ? 7 : 6}>Nessuna richiesta inviata.</td></tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}
