import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { wizardAction, wizardPage } from "~/applications/pages.server";
import { ErrorSummary, FormComponents, WizardSteps } from "~/components/application-form";
import { CsrfInput } from "~/components/csrf-input";
import { PageTitle } from "~/components/layout";
import { fieldLabel } from "~/forms/definition";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.procedure ?? "Domanda"} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const data = await wizardPage(request, params.id ?? "");
  if (data.state !== "bozza") throw redirect(`/domande/${data.id}/riepilogo`);
  return data;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const result = await wizardAction(request, params.id ?? "");
  return result.ok ? redirect(result.redirect) : result;
}

export default function Wizard() {
  const { id, procedure, form, page, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const panel = form.components.find((p) => p.key === page)!;
  const index = form.components.indexOf(panel);
  const errors = result && !result.ok ? result.errors : {};
  const shown = result && !result.ok && result.values ? { ...values, ...result.values } : values;
  return (
    <>
      <PageTitle lead={procedure}>{`Pagina ${index + 1} di ${form.components.length}: ${fieldLabel(panel)}`}</PageTitle>
      <WizardSteps form={form} current={page} />
      {result && !result.ok ? <ErrorSummary errors={errors} message={result.message} /> : null}
      <p className="small">I campi con l'asterisco (*) sono obbligatori.</p>
      <Form method="post" encType="multipart/form-data" key={page} noValidate>
        <CsrfInput />
        <input type="hidden" name="page" value={page} />
        <FormComponents list={panel.components ?? []} values={shown} errors={errors} />
        <div className="d-flex flex-wrap gap-2 mt-4">
          {index > 0 ? <button type="submit" name="intent" value="indietro" className="btn btn-outline-primary">Indietro</button> : null}
          <button type="submit" name="intent" value="avanti" className="btn btn-primary">{index + 1 < form.components.length ? "Salva e prosegui" : "Salva e verifica"}</button>
          <button type="submit" name="intent" value="salva" className="btn btn-outline-secondary">Salva e continua più tardi</button>
        </div>
      </Form>
      <p className="mt-4"><Link to={`/domande/${id}/invio`}>Verifica la completezza e invia</Link></p>
    </>
  );
}
