import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDate, formatDateTime, UPLOAD_STATUS_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
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
      <Form method="get" className="row g-3 mb-4" aria-label="Filtri dei caricamenti">
        {gestori.length ? (
          <div className="col-md-5">
            <label htmlFor="gestore" className="form-label">Ente gestore</label>
            <select id="gestore" name="gestore" className="form-select" defaultValue={filter.gestore ?? ""}>
              <option value="">Tutti</option>
              {gestori.map((g) => (
                <option key={g.fiscalCode} value={g.fiscalCode}>{g.name}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="col-md-3">
          <label htmlFor="status" className="form-label">Esito</label>
          <select id="status" name="status" className="form-select" defaultValue={filter.status ?? ""}>
            <option value="">Tutti</option>
            {Object.entries(UPLOAD_STATUS_LABELS).map(([v, l]) => (
              <option key={v} value={v}>{l}</option>
            ))}
          </select>
        </div>
        <div className="col-md-2 d-flex align-items-end">
          <button type="submit" className="btn btn-primary">Filtra</button>
        </div>
      </Form>
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
      {rows.length === 0 ? <p>Nessun caricamento.</p> : null}
      {more ? (
        <Link className="btn btn-outline-primary" to={`?${next.toString()}`}>
          Caricamenti precedenti
        </Link>
      ) : null}
    </>
  );
}
