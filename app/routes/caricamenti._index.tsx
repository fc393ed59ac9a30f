import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDate, formatDateTime, UPLOAD_STATUS_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { FilterForm } from "~/components/filter-form";
import { SelectField } from "~/components/form-fields";
import { uploadListPage } from "~/uploads/pages.server";

export const meta: MetaFunction = () => [{ title: "Caricamenti — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "uploads.view");
  const page = await uploadListPage(new URL(request.url), actor);
  return {
    ...page,
    rows: page.rows.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString(), completedAt: r.completedAt?.toISOString() ?? null })),
  };
}

export default function Uploads() {
  const { rows, more, filter, gestori } = useLoaderData<typeof loader>();
  const last = rows[rows.length - 1];
  const next = new URLSearchParams();
  if (filter.gestore) next.set("gestore", filter.gestore);
  if (filter.status) next.set("status", filter.status);
  if (last) next.set("before", last.receivedAt);
  return (
    <>
      <PageTitle>Caricamenti</PageTitle>
      <FilterForm label="Filtri dei caricamenti">
        {gestori.length ? (
          <SelectField name="gestore" label="Ente gestore" className="col-md-5" defaultValue={filter.gestore} empty="Tutti" options={gestori.map((g) => ({ value: g.fiscalCode, label: g.name }))} />
        ) : null}
        <SelectField name="status" label="Esito" className="col-md-3" defaultValue={filter.status} empty="Tutti" options={Object.entries(UPLOAD_STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
      </FilterForm>
      <div className="table-responsive">
        <table className="table">
          <caption>Caricamenti, dal più recente</caption>
          <thead>
            <tr>
              <th scope="col">Ricevuto</th>
              <th scope="col">File</th>
              {gestori.length ? <th scope="col">Ente</th> : null}
              <th scope="col">Invio</th>
              <th scope="col">Riferimento</th>
              <th scope="col">Record</th>
              <th scope="col">Esito</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.receivedAt)}</td>
                <td>
                  <Link to={`/caricamenti/${r.id}`}>{r.fileName || "flusso"}</Link>
                </td>
                {gestori.length ? <td>{r.gestoreName}</td> : null}
                <td>{r.submissionId ?? "—"}</td>
                <td>{formatDate(r.referenceDate)}</td>
                <td>{r.records.toLocaleString("it-IT")}</td>
                <td>
                  {UPLOAD_STATUS_LABELS[r.status]}
                  {r.status === "rejected" ? ` (${r.errorCount} ${r.errorCount === 1 ? "errore" : "errori"})` : ""}
                  {r.status === "failed" && r.failureRef ? ` (codice ${r.failureRef})` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 ? <p data-testid="empty">Nessun caricamento.</p> : null}
      {more ? (
        <Link className="btn btn-outline-primary" to={`?${next.toString()}`}>
          Caricamenti precedenti
        </Link>
      ) : null}
    </>
  );
}
