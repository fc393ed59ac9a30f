import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { browseAuditLog } from "~/audit/audit-log.server";
import { requirePermission } from "~/auth/guards.server";
import { PageTitle } from "~/components/layout";
import { SelectField, TextField } from "~/components/form-fields";
import { FilterForm } from "~/components/filter-form";
import { AUDIT_ACTION_LABELS, auditActionLabel, auditObjectLabel, OUTCOME_LABELS } from "~/audit/labels";
import { ROLE_LABELS } from "~/auth/permissions";

export const meta: MetaFunction = () => [{ title: "Registro accessi — Monitoraggio pratiche" }];


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
      <FilterForm
        label="Filtri del registro"
        actions={
          <a className="btn btn-outline-primary" href={exportHref} download>
            Esporta CSV
          </a>
        }
      >
        <TextField name="from" label="Dal" type="date" className="col-md-2" defaultValue={filter.from} />
        <TextField name="to" label="Al" type="date" className="col-md-2" defaultValue={filter.to} />
        <TextField name="actor" label="Codice fiscale" className="col-md-3" defaultValue={filter.actor} />
        <SelectField
          name="action"
          label="Azione"
          className="col-md-3"
          defaultValue={filter.action ?? ""}
          empty="Tutte"
          options={Object.entries(AUDIT_ACTION_LABELS)
            .map(([value, label]) => ({ value, label }))
            .sort((a, b) => a.label.localeCompare(b.label, "it"))}
        />
        <SelectField
          name="outcome"
          label="Esito"
          className="col-md-2"
          defaultValue={filter.outcome ?? ""}
          empty="Tutti"
          options={Object.entries(OUTCOME_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </FilterForm>
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
