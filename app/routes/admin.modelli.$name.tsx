import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { handleTemplateAction, templateEditData } from "~/admin/config-pages.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig, VersionInput } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, TextArea, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Modello"} — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return templateEditData(params.name ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleTemplateAction(request, signedIn, params.name ?? "", await requireForm(request, signedIn));
}

const fmt = (iso: string) => new Date(iso).toLocaleString("it-IT", { timeZone: "Europe/Rome" });

export default function TemplateEdit() {
  const t = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const preview = result && "preview" in result ? result.preview : undefined;
  return (
    <>
      <BackToConfig to="/admin/modelli" label="Modelli delle e-mail" />
      <PageTitle lead={t.overridden ? `Versione modificata (n. ${t.version}) in uso.` : "In uso la versione predefinita."}>{t.title}</PageTitle>
      {preview ? null : <FormAlert result={result} />}
      <FormState result={result}>
        <Form method="post" className="mt-4" key={t.version}>
          <CsrfInput />
          <VersionInput version={t.version} />
          <TextField name="subject" label="Oggetto" required defaultValue={t.current.subject.trim()} maxLength={300} />
          <TextArea name="html" label="Testo HTML" required defaultValue={t.current.html} rows={8} mono />
          <TextArea name="text" label="Testo semplice" required defaultValue={t.current.text} rows={8} mono />
          <p className="small">
            Sintassi Handlebars: le variabili si scrivono tra doppie graffe, ad esempio <code>{"{{name}}"}</code>. Variabili disponibili (dati di esempio):
          </p>
          <pre className="small border p-2">{t.sample}</pre>
          <div className="d-flex gap-2 flex-wrap">
            <button type="submit" name="intent" value="preview" className="btn btn-outline-primary">
              Anteprima
            </button>
            <button type="submit" name="intent" value="save" className="btn btn-primary">
              Salva
            </button>
          </div>
        </Form>
      </FormState>
      {preview ? (
        <section aria-labelledby="anteprima" className="mt-4" data-testid="preview">
          <h2 id="anteprima" className="h4">
            Anteprima con i dati di esempio (non salvata)
          </h2>
          <p>
            <strong>Oggetto:</strong> <span data-testid="preview-subject">{preview.subject}</span>
          </p>
          <iframe className="template-preview" title="Anteprima del testo HTML" sandbox="" srcDoc={preview.html} />
          <h3 className="h6 mt-3">Testo semplice</h3>
          <pre className="border p-2" data-testid="preview-text">
            {preview.text}
          </pre>
        </section>
      ) : null}
      {t.overridden ? (
        <Form method="post" className="mt-4">
          <CsrfInput />
          <VersionInput version={t.version} />
          <input type="hidden" name="intent" value="reset" />
          <button type="submit" className="btn btn-outline-danger">
            Ripristina il modello predefinito
          </button>
        </Form>
      ) : null}
      <h2 className="h4 mt-5">Storico delle modifiche</h2>
      {t.history.length ? (
        <div className="table-responsive">
          <table className="table">
            <caption>Modifiche al modello, dalla più recente</caption>
            <thead>
              <tr>
                <th scope="col">Data</th>
                <th scope="col">Operazione</th>
                <th scope="col">Oggetto</th>
                <th scope="col">Autore</th>
              </tr>
            </thead>
            <tbody>
              {t.history.map((h) => (
                <tr key={h.id}>
                  <td>{fmt(h.changedAt)}</td>
                  <td>{h.action === "save" ? "Salvataggio" : "Ripristino del predefinito"}</td>
                  <td>{h.subject ?? "—"}</td>
                  <td>{h.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>Nessuna modifica: il modello è quello predefinito.</p>
      )}
    </>
  );
}
