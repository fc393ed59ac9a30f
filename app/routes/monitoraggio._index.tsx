import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { BarChart, LineChart } from "~/components/charts";
import { DataTableView } from "~/components/data-table";
import { STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { dashboardPage } from "~/monitoring/monitoring.server";
import { cellText } from "~/monitoring/tables";

export const meta: MetaFunction = () => [{ title: "Monitoraggio — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "monitoring.view");
  return dashboardPage(new URL(request.url), actor);
}

const LEVELS: Record<string, string> = {
  totale: "Visibilità totale: dati individuali di tutti gli enti. Ogni numero porta all'elenco delle pratiche.",
  proprio_ente: "Dati individuali del tuo ente: ogni numero porta all'elenco delle pratiche.",
  aggregato: "Solo dati aggregati: le celle con meno di 5 pratiche non sono mostrate (« < 5 »).",
};

export default function Monitoring() {
  const data = useLoaderData<typeof loader>();
  const { filter, tables, totals, options } = data;
  const location = useLocation();
  const exportQuery = location.search.replace(/^\?/, "");
  const money = (m: string | null) => cellText(m === null ? (totals.count === null ? { suppressed: true } : null) : { money: m });
  return (
    <>
      <PageTitle lead="Pratiche per stato, importi, flussi, tempi, passaggi di stato e tempestività degli enti gestori.">Monitoraggio</PageTitle>
      {data.invalidFilter ? (
        <div className="alert alert-warning" role="alert">
          Alcuni filtri non erano validi e sono stati ignorati.
        </div>
      ) : null}
      <Form method="get" className="row g-3 mb-3" aria-label="Filtri del cruscotto">
        <div className="col-md-3">
          <label htmlFor="measure" className="form-label">Misura</label>
          <select id="measure" name="measure" className="form-select" defaultValue={filter.measure ?? ""}>
            <option value="">Tutte</option>
            {options.measures.map((m) => (
              <option key={m.code} value={m.code}>{m.code} — {m.name}</option>
            ))}
          </select>
        </div>
        <div className="col-md-3">
          <label htmlFor="gestore" className="form-label">Ente gestore</label>
          <select id="gestore" name="gestore" className="form-select" defaultValue={filter.gestore ?? ""}>
            {data.isGestoreUser ? (
              <>
                <option value="">Il mio ente</option>
                <option value="tutti">Tutti gli enti (dati aggregati)</option>
              </>
            ) : (
              <option value="">Tutti</option>
            )}
            {options.gestori.map((g) => (
              <option key={g.cf} value={g.cf}>{g.name}</option>
            ))}
          </select>
        </div>
        <div className="col-md-2">
          <label htmlFor="region" className="form-label">Regione</label>
          <select id="region" name="region" className="form-select" defaultValue={filter.region ?? ""}>
            <option value="">Tutte</option>
            {options.regions.map((r) => (
              <option key={r.code} value={r.code}>{r.name}</option>
            ))}
          </select>
        </div>
        <div className="col-md-2">
          <label htmlFor="province" className="form-label">Provincia</label>
          <select id="province" name="province" className="form-select" defaultValue={filter.province ?? ""}>
            <option value="">Tutte</option>
            {options.provinces.map((p) => (
              <option key={p.code} value={p.code}>{p.name}</option>
            ))}
          </select>
        </div>
        <div className="col-md-2">
          <label htmlFor="comune" className="form-label">Comune (codice ISTAT)</label>
          <input id="comune" name="comune" className="form-control" inputMode="numeric" pattern="\d{6}" defaultValue={filter.comune ?? ""} aria-describedby="comune-help" />
          <small id="comune-help" className="form-text">6 cifre, es. 042002</small>
        </div>
        <div className="col-md-2">
          <label htmlFor="from" className="form-label">Periodo dal</label>
          <input type="date" id="from" name="from" className="form-control" defaultValue={filter.from ?? ""} />
        </div>
        <div className="col-md-2">
          <label htmlFor="to" className="form-label">Periodo al</label>
          <input type="date" id="to" name="to" className="form-control" defaultValue={filter.to ?? ""} />
        </div>
        <div className="col-md-4 d-flex align-items-end gap-2">
          <button type="submit" className="btn btn-primary">Applica filtri</button>
          <Link to="/monitoraggio" className="btn btn-outline-primary">Azzera</Link>
        </div>
      </Form>
      <p className="small">
        Il periodo seleziona le pratiche presentate nel periodo (pratiche per stato, importi, tempi) e i movimenti avvenuti nel
        periodo (flusso settimanale, passaggi di stato). I dati sono aggiornati all'ultimo file accettato.
      </p>
      <div className={`alert ${data.individual ? "alert-info" : "alert-warning"}`} data-testid="visibility">
        {LEVELS[data.level]}
      </div>

      <section aria-labelledby="key-figures" className="mb-4">
        <h2 id="key-figures" className="h4">In sintesi</h2>
        <dl className="row" data-testid="key-figures">
          <div className="col-6 col-lg"><dt>Pratiche</dt><dd className="h3">{cellText(totals.count === null ? { suppressed: true } : totals.count)}</dd></div>
          <div className="col-6 col-lg"><dt>Richiesto (€)</dt><dd className="h3">{money(totals.requested)}</dd></div>
          <div className="col-6 col-lg"><dt>Deliberato (€)</dt><dd className="h3">{money(totals.approved)}</dd></div>
          <div className="col-6 col-lg"><dt>Erogato (€)</dt><dd className="h3">{money(totals.disbursed)}</dd></div>
          <div className="col-6 col-lg"><dt>Tasso di approvazione</dt><dd className="h3">{totals.approvalRate === null ? "—" : cellText({ rate: totals.approvalRate })}</dd></div>
        </dl>
      </section>

      <section aria-labelledby="by-state" className="mb-4">
        <h2 id="by-state" className="h4">Pratiche per stato e importi</h2>
        <div className="row">
          <div className="col-lg-5">
            <BarChart id="stati" title="Pratiche per stato" bars={data.byState.map((r) => ({ label: STATE_LABELS[r.state]!, value: r.count }))} />
          </div>
          <div className="col-lg-7">
            <DataTableView table={tables.stati} exportQuery={exportQuery} />
          </div>
        </div>
      </section>

      <section aria-labelledby="flow" className="mb-4">
        <h2 id="flow" className="h4">Flusso settimanale</h2>
        <div className="row">
          <div className="col-lg-6">
            <LineChart
              id="flusso"
              title="Pratiche nuove, deliberate, non ammesse ed erogate per settimana"
              labels={data.flow.map((w) => w.week)}
              series={[
                { name: "Nuove", values: data.flow.map((w) => w.created) },
                { name: "Deliberate", values: data.flow.map((w) => w.approved) },
                { name: "Non ammesse", values: data.flow.map((w) => w.rejected) },
                { name: "Erogate", values: data.flow.map((w) => w.disbursed) },
              ]}
            />
          </div>
          <div className="col-lg-6" style={{ maxHeight: "28rem", overflowY: "auto" }}>
            <DataTableView table={tables.flusso} exportQuery={exportQuery} />
          </div>
        </div>
      </section>

      <section aria-labelledby="times" className="mb-4">
        <h2 id="times" className="h4">Tempi</h2>
        <div className="row">
          <div className="col-lg-5">
            <BarChart
              id="tempi"
              title="Giorni mediani di permanenza in ogni stato"
              bars={data.durations.map((d) => ({ label: STATE_LABELS[d.state]!, value: d.median }))}
              format={(n) => `${n.toLocaleString("it-IT", { maximumFractionDigits: 1 })} gg`}
            />
          </div>
          <div className="col-lg-7">
            <DataTableView table={tables.tempi} exportQuery={exportQuery} />
          </div>
        </div>
      </section>

      <section aria-labelledby="moves" className="mb-4">
        <h2 id="moves" className="h4">Passaggi di stato</h2>
        <p>
          <Link to={`/monitoraggio/processo${exportQuery ? `?${exportQuery}` : ""}`} className="btn btn-outline-primary btn-sm">
            Vedi la mappa del processo
          </Link>
        </p>
        <DataTableView table={tables.passaggi} exportQuery={exportQuery} />
      </section>

      <section aria-labelledby="timeliness" className="mb-4">
        <h2 id="timeliness" className="h4">Tempestività degli enti gestori</h2>
        <p className="small">
          Ultimo file accettato e giorni trascorsi; per le misure con un obbligo di invio, i giorni di ritardo del periodo più vecchio
          ancora dovuto, i periodi scaduti e la quota di quelli inviati entro la scadenza (come nella pagina Puntualità); le pratiche
          ferme in istruttoria o sospese oltre i giorni massimi della misura, a oggi. Questi dati riguardano l&apos;ente nel suo
          insieme: i filtri territoriali e di periodo non si applicano.
        </p>
        <DataTableView table={tables.tempestivita} exportQuery={exportQuery} />
      </section>

      {data.hasComparison ? (
        <section aria-labelledby="comparison" className="mb-4">
          <h2 id="comparison" className="h4">Confronto con gli altri enti della misura</h2>
          <DataTableView table={tables.confronto} exportQuery={exportQuery} />
        </section>
      ) : null}
    </>
  );
}
