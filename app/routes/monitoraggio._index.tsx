import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { requireInScope, requirePermission } from "~/auth/guards.server";
import { BarChart, LineChart } from "~/components/charts";
import { DataTableView } from "~/components/data-table";
import { STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { FilterForm } from "~/components/filter-form";
import { SelectField, TextField } from "~/components/form-fields";
import { dashboardPage } from "~/monitoring/monitoring.server";
import { cellText } from "~/monitoring/tables";
import { italianNumber } from "~/lib/decimal";

export const meta: MetaFunction = () => [{ title: "Monitoraggio — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "monitoring.view");
  // A territorial user naming a place outside its territory: an audited 403.
  return requireInScope(request, actor, () => dashboardPage(new URL(request.url), actor), "");
}

const LEVELS: Record<string, string> = {
  totale: "Visibilità totale: dati individuali di tutti gli enti. Ogni numero porta all'elenco delle pratiche.",
  proprio_ente: "Dati individuali del tuo ente: ogni numero porta all'elenco delle pratiche.",
  territorio:
    "Dati del tuo territorio, in forma aggregata: non sono mostrate (« < 5 ») le cifre a cui contribuiscono meno di 5 pratiche, né quelle da cui si potrebbero ricalcolare.",
  aggregato:
    "Solo dati aggregati: non sono mostrate (« < 5 ») le cifre a cui contribuiscono meno di 5 pratiche, né quelle da cui si potrebbero ricalcolare sottraendole da un totale.",
};

export default function Monitoring() {
  const data = useLoaderData<typeof loader>();
  const { filter, tables, headline, options } = data;
  const { exportQuery } = data;
  // Provinces follow the region: narrowed here as the region changes, and by the server's answer without JavaScript.
  const [region, setRegion] = useState(filter.region ?? "");
  return (
    <>
      <PageTitle lead="Pratiche per stato, importi, flussi, tempi, passaggi di stato e tempestività degli enti gestori.">Monitoraggio</PageTitle>
      <FilterForm label="Filtri del cruscotto" submitLabel="Applica filtri" resetTo="/monitoraggio" problems={data.problems}>
        <SelectField
          name="measure"
          label="Misura"
          className="col-md-3"
          defaultValue={filter.measure}
          empty="Tutte"
          options={options.measures.map((m) => ({ value: m.code, label: `${m.code} — ${m.name}` }))}
        />
        <SelectField
          name="gestore"
          label="Ente gestore"
          className="col-md-3"
          defaultValue={filter.gestore}
          empty={data.isGestoreUser ? "Il mio ente" : "Tutti"}
          options={[
            ...(data.isGestoreUser ? [{ value: "tutti", label: "Tutti gli enti (dati aggregati)" }] : []),
            ...options.gestori.map((g) => ({ value: g.cf, label: g.name })),
          ]}
        />
        {options.regions.length ? (
          <>
            <SelectField
              name="region"
              label="Regione"
              className="col-md-3"
              defaultValue={filter.region}
              empty="Tutte"
              options={options.regions.map((r) => ({ value: r.code, label: r.name }))}
              onChange={(e) => setRegion(e.currentTarget.value)}
            />
            <SelectField
              key={region}
              name="province"
              label="Provincia"
              className="col-md-3"
              defaultValue={filter.region === region ? filter.province : ""}
              empty={region ? "Tutte le province della regione" : "Tutte"}
              options={options.provinces.filter((p) => !region || p.region === region).map((p) => ({ value: p.code, label: p.name }))}
            />
          </>
        ) : null}
        {options.ats.length ? (
          <SelectField
            key={`ats-${region}`}
            name="ats"
            label="Ambito territoriale sociale (ATS)"
            className="col-md-3"
            defaultValue={filter.ats}
            empty={data.territory ? "Tutto il mio territorio" : "Tutti"}
            options={options.ats.filter((a) => !region || a.region === region).map((a) => ({ value: a.code, label: a.demo ? `${a.name} (dimostrativo)` : a.name }))}
          />
        ) : null}
        <TextField name="comune" label="Comune (codice ISTAT)" className="col-md-3" inputMode="numeric" maxLength={6} hint="6 cifre, es. 042002" defaultValue={filter.comune} />
        <TextField name="from" label="Periodo dal" type="date" className="col-md-3" defaultValue={filter.from} />
        <TextField name="to" label="Periodo al" type="date" className="col-md-3" defaultValue={filter.to} />
      </FilterForm>
      <p className="small">
        Il periodo seleziona le pratiche presentate nel periodo (pratiche per stato, importi, tempi) e i movimenti avvenuti nel
        periodo (flusso settimanale, passaggi di stato). I dati sono aggiornati all'ultimo file accettato.
      </p>
      {data.territory ? (
        <p data-testid="territory">
          Il tuo territorio: <strong>{data.territory.name}</strong>.
          {data.territory.level === "regione" ? " Puoi scegliere le province, gli ambiti e i comuni che ne fanno parte." : data.territory.level === "ats" ? " Puoi scegliere i comuni che ne fanno parte." : ""}
          <br />
          Dati individuali anonimi delle pratiche del territorio, con i filtri scelti (senza beneficiari; le combinazioni di meno di 5 pratiche
          sono generalizzate o escluse):{" "}
          <a href={`/monitoraggio/dati-anonimi?formato=csv&${exportQuery}`} download>
            scarica in CSV
          </a>{" "}
          ·{" "}
          <a href={`/monitoraggio/dati-anonimi?formato=xlsx&${exportQuery}`} download>
            scarica in XLSX
          </a>
        </p>
      ) : null}
      <div className={`alert ${data.individual ? "alert-info" : "alert-warning"}`} data-testid="visibility">
        {LEVELS[data.level]}
      </div>

      <section aria-labelledby="key-figures" className="mb-4">
        <h2 id="key-figures" className="h4">In sintesi</h2>
        <dl className="row" data-testid="key-figures">
          <div className="col-12 col-sm-6 col-lg"><dt>Pratiche</dt><dd className="h3">{cellText(headline.count)}</dd></div>
          <div className="col-12 col-sm-6 col-lg"><dt>Richiesto (€)</dt><dd className="h3">{cellText(headline.requested)}</dd></div>
          <div className="col-12 col-sm-6 col-lg"><dt>Deliberato (€)</dt><dd className="h3">{cellText(headline.approved)}</dd></div>
          <div className="col-12 col-sm-6 col-lg"><dt>Erogato (€)</dt><dd className="h3">{cellText(headline.disbursed)}</dd></div>
          <div className="col-12 col-sm-6 col-lg"><dt>Tasso di approvazione</dt><dd className="h3">{cellText(headline.approvalRate)}</dd></div>
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
              format={(n) => `${italianNumber(n, { maximumFractionDigits: 1 })} gg`}
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

      {tables["confronto-ambito"].rows.length ? (
        <section aria-labelledby="ats-comparison" className="mb-4">
          <h2 id="ats-comparison" className="h4">Confronto con la media regionale per ATS</h2>
          <p className="small">
            La media è il totale regionale diviso per gli ATS con pratiche nella vista; è omessa quando gli altri ATS insieme hanno meno di 5 pratiche.
          </p>
          <DataTableView table={tables["confronto-ambito"]} exportQuery={exportQuery} />
        </section>
      ) : null}

      {tables.ambiti.rows.length ? (
        <section aria-labelledby="ats-breakdown" className="mb-4">
          <h2 id="ats-breakdown" className="h4">Pratiche per ATS</h2>
          <p className="small">Ogni pratica conta per l&apos;ATS del suo comune nel giorno di presentazione.</p>
          <DataTableView table={tables.ambiti} exportQuery={exportQuery} />
        </section>
      ) : null}

      {data.hasComparison ? (
        <section aria-labelledby="comparison" className="mb-4">
          <h2 id="comparison" className="h4">Confronto con gli altri enti della misura</h2>
          <DataTableView table={tables.confronto} exportQuery={exportQuery} />
        </section>
      ) : null}
    </>
  );
}
