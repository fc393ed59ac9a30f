import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { routingAction, routingPage } from "~/applications/routing-pages.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { ActionButton, SelectField } from "~/components/form-editor";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Uffici competenti: ${data?.procedure.title ?? "procedimento"} — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return routingPage(request, params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  return routingAction(request, params.id ?? "");
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type Rule = { name: string; field: string; match: string; lines: string; fallback: string | null };

function RuleForm({ rule, index, data, heading }: { rule: Rule | null; index: number | null; data: Loaded; heading: string }) {
  const p = index === null ? "nuova" : `r${index}`;
  const fields = rule && !data.fields.some((f) => f.value === rule.field) ? [...data.fields, { value: rule.field, label: `${rule.field} (non nel modulo attuale)` }] : data.fields;
  return (
    <Form method="post" className="card card-bg mb-4" aria-labelledby={`${p}-title`}>
      <div className="card-body">
        <h3 className="h5 mb-5" id={`${p}-title`}>
          {heading}
        </h3>
        <CsrfInput />
        {index !== null ? <input type="hidden" name="index" value={index} /> : null}
        <div className="form-group mb-4">
          <label htmlFor={`${p}-name`} className="active">
            Nome della regola
          </label>
          <input id={`${p}-name`} name="name" className="form-control" defaultValue={rule?.name ?? ""} maxLength={120} />
        </div>
        <div className="row">
          <div className="col-md-6">
            <SelectField id={`${p}-field`} name="field" label="Risposta da leggere" options={fields} defaultValue={rule?.field ?? ""} empty="Scegli un campo del modulo" />
          </div>
          <div className="col-md-6">
            <SelectField id={`${p}-match`} name="match" label="Confronto" options={data.matches} defaultValue={rule?.match ?? "startsWith"} />
          </div>
        </div>
        <div className="form-group mb-4">
          <label htmlFor={`${p}-cases`} className="active">
            Casi
          </label>
          <textarea id={`${p}-cases`} name="cases" className="form-control font-monospace" rows={4} defaultValue={rule?.lines ?? ""} aria-describedby={`${p}-cases-hint`} />
          <small id={`${p}-cases-hint`} className="form-text">
            Uno per riga, «valore = CODICE-UFFICIO»: per esempio «058 = UFF-LAVORO» manda all'ufficio le sedi con codice ISTAT che inizia con 058 (provincia di Roma). Vale il primo caso che corrisponde.
          </small>
        </div>
        <SelectField
          id={`${p}-fallback`}
          name="fallback"
          label="Ufficio se nessun caso corrisponde"
          options={data.offices}
          defaultValue={rule?.fallback ?? ""}
          empty="Nessuno: la domanda non può essere inviata"
          hint="Senza un ufficio di ripiego, una risposta che non corrisponde a nessun caso blocca l'invio con un messaggio al richiedente."
        />
        <button type="submit" name="intent" value="regola" className="btn btn-primary">
          {index === null ? "Aggiungi la regola" : "Salva la regola"}
        </button>
      </div>
    </Form>
  );
}

export default function Routing() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const posted = (key: string): Rule | null =>
    result && !result.ok && result.form === key && result.values
      ? { name: result.values.name!, field: result.values.field!, match: result.values.match!, lines: result.values.cases!, fallback: result.values.fallback || null }
      : null;
  return (
    <>
      <BackToConfig to="/admin/moduli" label="Moduli delle domande online" />
      <PageTitle lead={data.procedure.title}>Uffici competenti sulle domande</PageTitle>
      {result ? (
        <div className={`alert ${result.ok ? "alert-success" : "alert-danger"}`} role={result.ok ? "status" : "alert"}>
          {result.ok ? result.message : result.error}
        </div>
      ) : null}
      <p>
        All'invio, ogni domanda va agli uffici sempre coinvolti e a quelli scelti dalle regole sulle risposte; ognuno dà il suo parere e la domanda prosegue
        quando tutti hanno risposto. Le domande già inviate tengono gli uffici che avevano.
      </p>
      <Form method="post" className="mb-5">
        <CsrfInput />
        <fieldset>
          <legend className="h4">Uffici sempre coinvolti</legend>
          {data.offices.map((o, i) => (
            <div className="form-check" key={o.value}>
              <input id={`office-${i}`} name="office" type="checkbox" value={o.value} defaultChecked={data.fixed.includes(o.value)} />
              <label htmlFor={`office-${i}`}>{o.label}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" name="intent" value="uffici" className="btn btn-primary mt-3">
          Salva gli uffici
        </button>
      </Form>
      <h2 className="h4">Regole sulle risposte</h2>
      {data.rules.length === 0 ? <p>Nessuna regola: la domanda va solo agli uffici sempre coinvolti.</p> : null}
      {data.rules.map((r, i) => (
        <div key={`${i}-${r.name}`}>
          <RuleForm rule={posted(String(i)) ?? r} index={i} data={data} heading={`Regola ${i + 1}: ${r.name}`} />
          <p className="mt-n2 mb-4">
            <ActionButton intent="rimuovi-regola" fields={{ index: String(i) }} label="Rimuovi la regola" hidden={`«${r.name}»`} className="btn btn-outline-danger btn-sm" />
          </p>
        </div>
      ))}
      <RuleForm rule={posted("nuova")} index={null} data={data} heading="Nuova regola" />
    </>
  );
}
