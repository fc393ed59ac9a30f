import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { activityPage } from "~/activity/activity.server";
import { requirePermission } from "~/auth/guards.server";
import { BarChart } from "~/components/charts";
import { DataTableView } from "~/components/data-table";
import { formatDate } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Attività — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "activity.view");
  return activityPage(request, signedIn);
}

export default function Activity() {
  const r = useLoaderData<typeof loader>();
  const [workload, ...others] = r.tables;
  return (
    <>
      <PageTitle lead="Il lavoro dell'ufficio nel periodo: pratiche prese in carico, concluse e riassegnate per funzionario, con i tempi; richieste di chiarimenti; tempi di risposta ai messaggi; richieste di assistenza. Ogni numero apre l'elenco delle voci che conta.">
        Attività
      </PageTitle>
      <Form method="get" className="row align-items-end mb-4">
        <div className="form-group col-md-3">
          <label htmlFor="dal" className="active">Dal</label>
          <input id="dal" name="dal" type="date" className="form-control" defaultValue={r.period.from} />
        </div>
        <div className="form-group col-md-3">
          <label htmlFor="al" className="active">Al</label>
          <input id="al" name="al" type="date" className="form-control" defaultValue={r.period.to} />
        </div>
        {r.choose ? (
          <div className="select-wrapper col-md-4 mb-4">
            <label htmlFor="struttura">Struttura</label>
            <select id="struttura" name="struttura" defaultValue={r.unit ?? ""}>
              <option value="">Tutte</option>
              {r.units.map((u) => (
                <option key={u.id} value={u.id}>{u.name}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="col-md-2 mb-4">
          <button type="submit" className="btn btn-primary">Aggiorna</button>
        </div>
      </Form>
      {r.problems.length ? (
        <div className="alert alert-danger" role="alert">{r.problems.join(" ")}</div>
      ) : (
        <>
          <p>
            Periodo dal {formatDate(r.period.from)} al {formatDate(r.period.to)}
            {r.choose ? "" : r.units[0] ? ` — ${r.units[0].name}` : ""}.
          </p>
          {workload ? (
            <div className="row mb-4">
              <div className="col-lg-4">
                <BarChart id="prese" title="Pratiche prese in carico nel periodo, per funzionario" bars={r.chart} />
              </div>
              <div className="col-lg-8">
                <DataTableView table={workload} exportQuery={r.query} exportPath="/attivita/esporta" />
              </div>
            </div>
          ) : null}
          {others.map((t) => (
            <DataTableView key={t.id} table={t} exportQuery={r.query} exportPath="/attivita/esporta" />
          ))}
        </>
      )}
    </>
  );
}
