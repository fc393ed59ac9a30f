import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { ActionResult } from "~/components/action-result";
import { CsrfInput } from "~/components/csrf-input";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { getConfig } from "~/config.server";
import { adminPageData, handleAdminAction } from "~/enablement/pages.server";

export const meta: MetaFunction = () => [{ title: "Richieste di abilitazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "enablement.decide");
  return { ...(await adminPageData(signedIn, new URL(request.url))), localAccounts: getConfig().localAccounts };
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "enablement.decide");
  return handleAdminAction(request, signedIn, await requireForm(request, signedIn));
}

const age = (days: number) => (days === 0 ? "oggi" : days === 1 ? "1 giorno" : `${days} giorni`);

export default function EnablementQueue() {
  const { pending, q, found, localAccounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Le richieste in attesa, dalla più vecchia. Approvando, la persona è abilitata subito per il periodo previsto; respingendo, va indicato il motivo.">
        Richieste di abilitazione
      </PageTitle>
      {localAccounts ? (
        <p>
          <Link to="/admin/account-locali">Account locali dei richiedenti</Link>: stato, blocchi per tentativi falliti, sblocco.
        </p>
      ) : null}
      <ActionResult result={result} rowLabel="Richiesta selezionata" />
      <Form method="post" id="approve-many">
        <CsrfInput />
        <input type="hidden" name="intent" value="approve-many" />
      </Form>
      <div className="table-responsive mb-3">
        <table className="table align-middle">
          <caption>{pending.length ? `${pending.length} richieste in attesa` : "Nessuna richiesta in attesa"}</caption>
          <thead>
            <tr>
              <th scope="col"><span className="visually-hidden">Seleziona</span></th>
              <th scope="col">Persona</th>
              <th scope="col">Ruolo e ambito</th>
              <th scope="col">Richiesta da</th>
              <th scope="col">In attesa da</th>
              <th scope="col">Decisione</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((r) => (
              <tr key={r.id}>
                <td>
                  <input type="checkbox" className="form-check-input" name="requestIds" value={r.id} form="approve-many" id={`sel-${r.id}`} aria-label={`Seleziona ${r.fullName}`} />
                </td>
                <td>
                  <Link to={`/abilitazioni/persone/${r.personKey}`}>{r.fullName}</Link>
                  <span className="d-block small">{r.fiscalCode} — {r.email}</span>
                  {r.nameMismatchConfirmed ? <span className="badge bg-warning text-dark text-wrap text-start" data-testid="cf-mismatch">il codice fiscale non corrisponde a cognome e nome: confermato dal richiedente</span> : null}
                </td>
                <td>{r.roleLabel}<span className="d-block small">{r.scopeName}</span></td>
                <td>{r.requesterName}</td>
                <td title={formatDateTime(r.createdAt)}>{age(r.ageDays)}</td>
                <td>
                  <div className="d-flex flex-column gap-2">
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="approve" />
                      <input type="hidden" name="requestId" value={r.id} />
                      <button type="submit" className="btn btn-primary btn-sm" aria-label={`Approva ${r.fullName}`}>Approva</button>
                    </Form>
                    <Form method="post" className="d-flex gap-2 align-items-center">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="reject" />
                      <input type="hidden" name="requestId" value={r.id} />
                      <label htmlFor={`reason-${r.id}`} className="visually-hidden">Motivo del rifiuto per {r.fullName}</label>
                      <input id={`reason-${r.id}`} name="reason" className="form-control form-control-sm" placeholder="Motivo del rifiuto" required maxLength={500} style={{ minWidth: "9rem" }} />
                      <button type="submit" className="btn btn-outline-danger btn-sm" aria-label={`Respingi ${r.fullName}`}>Respingi</button>
                    </Form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pending.length ? (
        <button type="submit" form="approve-many" className="btn btn-outline-primary mb-5">Approva le selezionate</button>
      ) : null}

      <h2 className="h4 mt-4" id="cerca">Cerca una persona</h2>
      <Form method="get" className="row g-3 mb-3" aria-labelledby="cerca">
        <div className="col-md-6">
          <label htmlFor="q" className="form-label">Cognome o codice fiscale</label>
          <input id="q" name="q" className="form-control" defaultValue={q} minLength={2} maxLength={100} />
        </div>
        <div className="col-md-2 d-flex align-items-end">
          <button type="submit" className="btn btn-outline-primary">Cerca</button>
        </div>
      </Form>
      {q ? (
        found.length ? (
          <ul>
            {found.map((p) => (
              <li key={p.key}><Link to={`/abilitazioni/persone/${p.key}`}>{p.fullName}</Link> — {p.fiscalCode}</li>
            ))}
          </ul>
        ) : (
          <p>Nessuna persona trovata.</p>
        )
      ) : null}
    </>
  );
}
