import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { previewPage } from "~/applications/form-editor-pages.server";
import { FormComponents, WizardSteps } from "~/components/application-form";
import { PageTitle } from "~/components/layout";
import { fieldLabel } from "~/forms/definition";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Anteprima del modulo: ${data?.procedureTitle ?? ""} — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return previewPage(request, params.id ?? "");
}

/**
 * The applicant's wizard page, drawn by the same components; its buttons only move between pages
 * or redraw this one (GET, answers in the query), so conditions show and hide fields as the
 * applicant sees them, without JavaScript. Nothing is saved.
 */
export default function FormPreview() {
  const { id, procedureTitle, version, statusLabel, form, page, values, carried } = useLoaderData<typeof loader>();
  const panel = form.components.find((p) => p.key === page)!;
  const index = form.components.indexOf(panel);
  const prev = form.components[index - 1];
  const next = form.components[index + 1];
  return (
    <>
      <p className="mb-2">
        <Link to={`/admin/moduli/${id}`}>← Torna al modulo (versione {version})</Link>
      </p>
      <div className="alert alert-warning" role="note">
        Anteprima della versione {version} ({statusLabel.toLowerCase()}): così il richiedente vede il modulo. Nulla di quanto scritto qui viene salvato.
      </div>
      <PageTitle lead={procedureTitle}>{`Pagina ${index + 1} di ${form.components.length}: ${fieldLabel(panel)}`}</PageTitle>
      <WizardSteps form={form} current={page} />
      <p className="small mb-5">I campi con l'asterisco (*) sono obbligatori. «Aggiorna l'anteprima» applica le condizioni alle risposte scritte, come quando il richiedente salva la pagina.</p>
      <Form method="get" key={`${page}:${JSON.stringify(values)}`} noValidate>
        {carried.map((c, i) => (
          <input key={i} type="hidden" name={c.name} value={c.value} />
        ))}
        <FormComponents list={panel.components ?? []} values={values} errors={{}} />
        <div className="d-flex flex-wrap gap-2 mt-4">
          <button type="submit" name="pagina" value={page} className="btn btn-outline-primary">
            Aggiorna l'anteprima
          </button>
          {prev ? (
            <button type="submit" name="pagina" value={prev.key} className="btn btn-outline-primary">
              Indietro
            </button>
          ) : null}
          {next ? (
            <button type="submit" name="pagina" value={next.key} className="btn btn-primary">
              Pagina successiva
            </button>
          ) : null}
        </div>
      </Form>
    </>
  );
}
