import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { procedureModelsAction, procedureModelsPage } from "~/applications/form-editor-pages.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { ActionButton, EditorAlert } from "~/components/form-editor";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Modulo: ${data?.procedure.title ?? "procedimento"} — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return procedureModelsPage(request, params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  return procedureModelsAction(request, params.id ?? "");
}

export default function ProcedureModels() {
  const { procedure, versions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig to="/admin/moduli" label="Moduli delle domande online" />
      <PageTitle lead={procedure.title}>Modulo della domanda online</PageTitle>
      <EditorAlert result={result} />
      <h2 className="h4">Versioni</h2>
      {versions.length ? (
        <ul>
          {versions.map((v) => (
            <li key={v.id}>
              <Link to={`/admin/moduli/${v.id}`}>Versione {v.version}</Link> — {v.statusLabel}
              {v.publishedAt ? `, pubblicata il ${formatDateTime(v.publishedAt)}` : `, creata il ${formatDateTime(v.createdAt)}`}{" "}
              <a href={`/admin/moduli/${v.id}/esporta`} download>
                Scarica il JSON<span className="visually-hidden"> della versione {v.version}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>Il procedimento non ha ancora un modulo.</p>
      )}
      <h2 className="h4 mt-4">Importa un modulo form.io</h2>
      <p>
        Il file JSON nel formato form.io (quello di Stanza del Cittadino e Open Forms) diventa una nuova bozza. Un componente o una proprietà non supportati
        fanno rifiutare l'intero file, con il percorso di ogni componente da correggere: nulla viene salvato.
      </p>
      <Form method="post" encType="multipart/form-data" className="mb-4">
        <CsrfInput />
        <div className="mb-3">
          <label htmlFor="definizione" className="form-label d-block">
            File JSON del modulo
          </label>
          <input id="definizione" name="definizione" type="file" accept="application/json,.json" className="form-control" aria-describedby="definizione-hint" />
          <small id="definizione-hint" className="form-text">
            Al massimo 1 MB.
          </small>
        </div>
        <button type="submit" className="btn btn-primary" name="intent" value="importa">
          Importa come nuova bozza
        </button>
      </Form>
      <h2 className="h4">Oppure parti da zero</h2>
      <ActionButton intent="vuoto" label="Crea una bozza vuota" className="btn btn-outline-primary" />
    </>
  );
}
