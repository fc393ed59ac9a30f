import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { gestoriAdminData, handleGestoriAction } from "~/admin/config-pages.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Enti gestori — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return { gestori: await gestoriAdminData() };
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleGestoriAction(request, signedIn, await requireForm(request, signedIn));
}

export default function GestoriAdmin() {
  const { gestori } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig />
      <PageTitle>Enti gestori</PageTitle>
      <div className="table-responsive">
        <table className="table">
          <caption>Enti gestori registrati ({gestori.length})</caption>
          <thead>
            <tr>
              <th scope="col">Denominazione</th>
              <th scope="col">Codice fiscale</th>
              <th scope="col">Operatori (massimo)</th>
              <th scope="col">Stato</th>
            </tr>
          </thead>
          <tbody>
            {gestori.map((g) => (
              <tr key={g.id}>
                <td>
                  <Link to={`/admin/enti/${g.id}`}>{g.name}</Link>
                </td>
                <td>{g.fiscalCode}</td>
                <td>{g.operatorQuota}</td>
                <td>{g.active ? "Attivo" : "Disattivato"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 className="h4 mt-4">Registra un ente gestore</h2>
      <FormAlert result={result} />
      <FormState result={result}>
        <Form method="post" className="row mt-4" noValidate>
          <CsrfInput />
          <TextField className="col-md-3" name="cf" label="Codice fiscale" required maxLength={11} inputMode="numeric" />
          <TextField className="col-md-5" name="name" label="Denominazione" required maxLength={200} />
          <TextField className="col-md-4" name="email" label="E-mail" type="email" />
          <TextField className="col-md-4" name="pec" label="PEC" type="email" />
          <div className="col-12">
            <button type="submit" className="btn btn-primary">
              Registra
            </button>
          </div>
        </Form>
      </FormState>
    </>
  );
}
