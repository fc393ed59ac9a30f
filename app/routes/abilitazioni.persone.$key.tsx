import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { forbidden, requireForm, requireUser } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { ActionResult } from "~/components/action-result";
import { ConfirmAction } from "~/components/confirm-action";
import { CsrfInput } from "~/components/csrf-input";
import { ACCESS_STATUS_LABELS, ENABLEMENT_EVENT_LABELS, formatDate, formatDateTime, REQUEST_STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { handleRequesterAction, personPageData } from "~/enablement/pages.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.person.name} ${data.person.surname}` : "Persona"} — Abilitazioni — Monitoraggio pratiche` },
];

async function requireEnablementViewer(request: Request) {
  const signedIn = await requireUser(request);
  const { role } = signedIn.actor;
  if (!can(role, "enablement.request") && !can(role, "enablement.decide")) throw await forbidden(request, signedIn.actor, "permission", { permission: "enablement" });
  return signedIn;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requireEnablementViewer(request);
  return { ...(await personPageData(request, signedIn, params.key ?? "")), isAdmin: can(signedIn.actor.role, "enablement.decide") };
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requireEnablementViewer(request);
  return handleRequesterAction(request, signedIn, await requireForm(request, signedIn));
}

export default function Person() {
  const { person, accesses, requests, timeline, isAdmin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fullName = `${person.name} ${person.surname}`;
  return (
    <>
      <PageTitle lead={`Codice fiscale ${person.fiscalCode} — ${person.email}`}>{fullName}</PageTitle>
      <p>
        <Link to={isAdmin ? "/admin/abilitazioni" : "/abilitazioni"}>Torna alle abilitazioni</Link>
      </p>
      <ActionResult result={result} />
      <h2 className="h4">Abilitazioni</h2>
      {accesses.length ? (
        <ul className="list-group mb-4">
          {accesses.map((a) => (
            <li key={a.id} className="list-group-item d-flex justify-content-between align-items-center flex-wrap gap-2">
              <span>
                {a.roleLabel} — {a.scopeName ?? "Regione"}: <strong>{ACCESS_STATUS_LABELS[a.status] ?? a.status}</strong>
                {a.expiresAt ? `, scadenza ${formatDate(a.expiresAt)}` : ""}
              </span>
              <span className="d-flex gap-2">
                {a.canRenew ? (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="renew" />
                    <input type="hidden" name="accessId" value={a.id} />
                    <button type="submit" className="btn btn-outline-primary btn-sm">Rinnova</button>
                  </Form>
                ) : null}
                {a.canRevoke ? (
                  <ConfirmAction
                    id={`revoca-${a.id}`}
                    trigger="Revoca"
                    triggerLabel={`Revoca l'abilitazione ${a.roleLabel}`}
                    title="Revocare l'abilitazione?"
                    question={`Revocare l'abilitazione di ${fullName} (${a.roleLabel})? L'effetto è immediato.`}
                    confirmLabel="Revoca l'abilitazione"
                    hidden={{ intent: "revoke", accessId: String(a.id) }}
                  >
                    <label htmlFor={`reason-${a.id}`}>Motivo della revoca (facoltativo)</label>
                    <input id={`reason-${a.id}`} name="reason" type="text" className="form-control" maxLength={500} />
                  </ConfirmAction>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nessuna abilitazione.</p>
      )}
      <h2 className="h4">Richieste</h2>
      {requests.length === 0 ? <p>Nessuna richiesta.</p> : null}
      <ul className="mb-4">
        {requests.map((r) => (
          <li key={r.id}>
            {formatDateTime(r.createdAt)}: {r.roleLabel} — {r.scopeName}, {REQUEST_STATE_LABELS[r.state] ?? r.state}
            {r.reason ? ` (motivo: ${r.reason})` : ""}
            {r.nameMismatchConfirmed ? (
              <span className="badge bg-warning text-dark text-wrap text-start ms-2" data-testid="cf-mismatch">
                il codice fiscale non corrisponde a cognome e nome: confermato dal richiedente
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <h2 className="h4" id="cronologia">Cronologia</h2>
      {timeline.length === 0 ? <p data-testid="timeline-empty">Nessun evento: questa persona non ha ancora richieste né abilitazioni.</p> : null}
      <ol className="list-unstyled border-start ps-3" aria-labelledby="cronologia" data-testid="timeline">
        {timeline.map((h) => (
          <li key={h.id} className="mb-2">
            <strong>{ENABLEMENT_EVENT_LABELS[h.machine]?.[h.event] ?? h.event}</strong>
            <span className="d-block small">
              {formatDateTime(h.at)} — {h.by}
              {h.reason ? ` — motivo: ${h.reason}` : ""}
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}
