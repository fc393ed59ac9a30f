import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { browseAuditLog } from "~/audit/audit-log.server";
import { requirePermission } from "~/auth/guards.server";
import { PageTitle } from "~/components/layout";
import { SelectField } from "~/components/form-fields";
import { AUDIT_ACTION_LABELS, auditActionLabel, auditObjectLabel } from "~/audit/labels";
import { ROLE_LABELS } from "~/auth/permissions";

export const meta: MetaFunction = () => [{ title: "Registro accessi — Monitoraggio pratiche" }];

const OUTCOME_LABELS: Record<string, string> = { success: "Riuscita", failure: "Non riuscita", denied: "Negata" };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit.view");
  const page = await browseAuditLog(new URL(request.url));
  return {
    filter: page.filter,
    error: page.error,
    nextBeforeId: page.nextBeforeId,
    rows: page.rows.map((r) => ({ ...r, at: r.at.toISOString() })),
  };
}

export default function AuditLog() {
  const { rows, filter, error, nextBeforeId } = useLoaderData<typeof loader>();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  params.delete("before");
  const exportHref = `/admin/audit.csv?${params.toString()}`;
  if (nextBeforeId) params.set("before", String(nextBeforeId));
  return (
    <>
      <PageTitle lead="Accessi, operazioni e accessi negati, in ordine dal più recente. Il registro non può essere modificato.">
        Registro accessi
      </PageTitle>
      {error ? (
        <div className="alert alert-warning" role="alert">
          {error}
        </div>
      ) : null}
      <Form method="get" className="row g-3 mb-4" aria-label="Filtri del registro">
        <div className="col-md-2">
          <label htmlFor="from" className="form-label">Dal</label>
          <input type="date" id="from" name="from" className="form-control" defaultValue={filter.from ?? ""} />
        </div>
        <div className="col-md-2">
          <label htmlFor="to" className="form-label">Al</label>
          <input type="date" id="to" name="to" className="form-control" defaultValue={filter.to ?? ""} />
        </div>
        <div className="col-md-3">
          <label htmlFor="actor" className="form-label">Codice fiscale</label>
          <input type="text" id="actor" name="actor" className="form-control" defaultValue={filter.actor ?? ""} />
        </div>
        <div className="col-md-3">
          <SelectField
            name="action"
            label="Azione"
            defaultValue={filter.action ?? ""}
            empty="Tutte"
            options={Object.entries(AUDIT_ACTION_LABELS)
              .map(([value, label]) => ({ value, label }))
              .sort((a, b) => a.label.localeCompare(b.label, "it"))}
          />
        </div>
        <div className="col-md-2">
          <SelectField
            name="outcome"
            label="Esito"
            defaultValue={filter.outcome ?? ""}
            empty="Tutti"
            options={Object.entries(OUTCOME_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </div>
        <div className="col-12 d-flex gap-2">
          <button type="submit" className="btn btn-primary">Filtra</button>
          <a className="btn btn-outline-primary" href={exportHref} download>
            Esporta CSV
          </a>
        </div>
      </Form>
      <div className="table-responsive">
        <table className="table table-sm">
          <caption>Voci del registro ({rows.length} in questa pagina)</caption>
          <thead>
            <tr>
              <th scope="col">Data e ora</th>
              <th scope="col">Chi</th>
              <th scope="col">Ruolo</th>
              <th scope="col">Azione</th>
              <th scope="col">Oggetto</th>
              <th scope="col">Esito</th>
              <th scope="col">IP</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.at).toLocaleString("it-IT", { timeZone: "Europe/Rome" })}</td>
                <td>{r.actorFiscalCode ?? "—"}</td>
                <td>{r.actorRole ? ((ROLE_LABELS as Record<string, string>)[r.actorRole] ?? r.actorRole) : "—"}</td>
                <td>{auditActionLabel(r.action)}</td>
                <td>{auditObjectLabel(r.objectType, r.objectId)}</td>
                <td>{OUTCOME_LABELS[r.outcome] ?? r.outcome}</td>
                <td>{r.ip ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextBeforeId ? (
        <Link to={`?${params.toString()}`} className="btn btn-outline-primary">
          Voci precedenti
        </Link>
      ) : null}
    </>
  );
}
