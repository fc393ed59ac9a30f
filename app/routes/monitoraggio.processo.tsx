import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireInScope, requirePermission } from "~/auth/guards.server";
import { DataTableView } from "~/components/data-table";
import { PageTitle } from "~/components/layout";
import { italianDate } from "~/lib/dates";
import { ProcessMapView } from "~/components/process-map";
import { processMapPage } from "~/monitoring/monitoring.server";

export const meta: MetaFunction = () => [{ title: "Mappa del processo — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "monitoring.view");
  // A territorial user naming a place outside its territory: an audited 403.
  return requireInScope(request, actor, () => processMapPage(new URL(request.url), actor), "");
}

export default function ProcessMapPage() {
  const { map, filter, individual, problems, exportQuery, options } = useLoaderData<typeof loader>();
  const query = exportQuery;
  const applied = [
    filter.measure ? `misura ${filter.measure}` : null,
    filter.gestore ? `ente ${options.gestori.find((g) => g.cf === filter.gestore)?.name ?? filter.gestore}` : null,
    filter.region ? `regione ${options.regions.find((r) => r.code === filter.region)?.name ?? filter.region}` : null,
    filter.province ? `provincia ${options.provinces.find((p) => p.code === filter.province)?.name ?? filter.province}` : null,
    filter.comune ? `comune ${filter.comune}` : null,
    filter.from ? `presentate dal ${italianDate(filter.from)}` : null,
    filter.to ? `presentate fino al ${italianDate(filter.to)}` : null,
  ].filter(Boolean);
  return (
    <>
      <PageTitle lead="Gli stati attraversati dalle pratiche scelte dai filtri, i passaggi tra stati con quante pratiche li hanno compiuti e i giorni mediani, e il percorso più frequente.">
        Mappa del processo
      </PageTitle>
      {problems.length ? (
        <div className="alert alert-warning" role="alert" data-testid="filter-problems">
          <p className="mb-1">Filtri non applicati:</p>
          <ul className="mb-0">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p>
        {applied.length ? `Filtri: ${applied.join(", ")}.` : "Tutte le pratiche visibili."}{" "}
        <Link to={`/monitoraggio${query ? `?${query}` : ""}`}>Modifica i filtri nel cruscotto</Link>
      </p>
      <div className="callout callout-highlight" data-testid="top-path">
        <div className="callout-title">Percorso più frequente</div>
        <p>{map.pathText ?? "Nessun percorso seguito da almeno 5 pratiche."}</p>
      </div>
      <p className="small">
        I riquadri sono tanto più grandi quante più pratiche sono passate dallo stato; le frecce tanto più spesse quante più pratiche hanno
        compiuto il passaggio, con il numero di pratiche e i giorni mediani trascorsi nello stato di partenza. Il percorso più frequente è
        in blu con linea continua, gli altri passaggi in grigio tratteggiato.
        {individual ? " Scegli un riquadro o una freccia per aprire l'elenco delle pratiche." : " Con dati aggregati i valori riferiti a meno di 5 pratiche non sono mostrati."}
      </p>
      <ProcessMapView map={map} />
      <div className="row mt-4">
        <div className="col-lg-5">
          <DataTableView table={map.tables.stati} exportQuery={query} />
        </div>
        <div className="col-lg-7">
          <DataTableView table={map.tables.passaggi} exportQuery={query} />
        </div>
      </div>
    </>
  );
}
