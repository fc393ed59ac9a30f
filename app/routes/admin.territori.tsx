import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { ActionResult } from "~/components/action-result";
import { CsrfInput } from "~/components/csrf-input";
import { ListUploadFields } from "~/components/list-upload-fields";
import { PageTitle } from "~/components/layout";
import { handleTerritoriesAction, territoriesPageData } from "~/territories/pages.server";

export const meta: MetaFunction = () => [{ title: "Territori — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return territoriesPageData();
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleTerritoriesAction(request, signedIn, await requireForm(request, signedIn));
}

function QuotaForm({ intent, name, value, quota, label }: { intent: string; name: string; value: string; quota: number; label: string }) {
  const id = `${intent}-${value}`;
  return (
    <Form method="post" className="d-flex gap-2 align-items-center">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={name} value={value} />
      <label htmlFor={id} className="visually-hidden">{`Numero massimo di utenti: ${label}`}</label>
      <input id={id} name="quota" type="number" min={1} max={500} defaultValue={quota} className="form-control form-control-sm" style={{ width: "6rem" }} />
      <button type="submit" className="btn btn-outline-primary btn-sm" aria-label={`Salva il numero massimo di utenti: ${label}`}>
        Salva
      </button>
    </Form>
  );
}

export default function TerritoriesAdmin() {
  const { regions, ats } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const demo = ats.some((a) => a.demo);
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Gli ambiti territoriali sociali (ATS) con i loro comuni, e quanti utenti possono abilitare i referenti regionali e gli amministratori di ATS.">
        Territori
      </PageTitle>
      <ActionResult result={result} />

      <h2 className="h4" id="elenco-ats">Elenco ufficiale degli ATS</h2>
      {demo ? (
        <div className="alert alert-warning" role="status">
          È in uso una mappatura dimostrativa (un ATS per provincia delle Marche): il caricamento dell'elenco ufficiale la sostituisce.
        </div>
      ) : null}
      <p>
        Una riga per comune: <code>codice_istat_comune;codice_ats;nome_ats;regione;valido_dal</code> (regione: codice ISTAT a 2 cifre o nome; data{" "}
        gg/mm/aaaa). Un comune che passa a un altro ATS da una data ha una seconda riga con quella data: le pratiche presentate prima restano
        all'ATS di allora. Ogni riga è controllata; se anche una sola è sbagliata non si registra nulla.
      </p>
      <Form method="post" encType="multipart/form-data" className="row g-3 mb-5" aria-labelledby="elenco-ats" key={result?.ok ? "sent" : "form"}>
        <CsrfInput />
        <input type="hidden" name="intent" value="import" />
        <ListUploadFields pasted={result && !result.ok ? result.csv : ""} rows={6} />
        <div className="col-12">
          <button type="submit" className="btn btn-primary">Controlla e carica</button>
        </div>
      </Form>

      <h2 className="h4">Ambiti territoriali sociali</h2>
      <div className="table-responsive mb-5">
        <table className="table">
          <caption className="visually-hidden">ATS registrati, con i comuni e il numero massimo di utenti</caption>
          <thead>
            <tr>
              <th scope="col">ATS</th>
              <th scope="col">Codice</th>
              <th scope="col">Regione</th>
              <th scope="col" className="text-end">Comuni oggi</th>
              <th scope="col">Massimo utenti</th>
            </tr>
          </thead>
          <tbody>
            {ats.map((a) => (
              <tr key={a.code}>
                <td>
                  {a.name}
                  {a.demo ? <span className="badge bg-warning text-dark ms-2">dimostrativo</span> : null}
                </td>
                <td className="text-nowrap">{a.code}</td>
                <td>{a.region}</td>
                <td className="text-end">{a.comuni}</td>
                <td>
                  <QuotaForm intent="ats-quota" name="ats" value={a.code} quota={a.quota} label={a.name} />
                </td>
              </tr>
            ))}
            {ats.length === 0 ? (
              <tr>
                <td colSpan={5}>Nessun ATS registrato.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <h2 className="h4">Utenti regionali per Regione</h2>
      <p>Quanti utenti regionali il referente regionale può avere abilitati o in attesa di approvazione insieme (8 se non indicato).</p>
      <div className="table-responsive">
        <table className="table">
          <caption className="visually-hidden">Numero massimo di utenti regionali per Regione</caption>
          <thead>
            <tr>
              <th scope="col">Regione</th>
              <th scope="col">Codice</th>
              <th scope="col" className="text-end">ATS</th>
              <th scope="col">Massimo utenti</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r) => (
              <tr key={r.code}>
                <td>{r.name}</td>
                <td>{r.code}</td>
                <td className="text-end">{r.ats}</td>
                <td>
                  <QuotaForm intent="region-quota" name="region" value={r.code} quota={r.quota} label={r.name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
