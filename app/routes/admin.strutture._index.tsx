import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { handleOrgUnitsAction, orgUnitsAdminData } from "~/admin/config-pages.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, SelectField, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Strutture e figure professionali — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return orgUnitsAdminData();
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleOrgUnitsAction(request, signedIn, await requireForm(request, signedIn));
}

export default function OrgUnitsAdmin() {
  const { units, positions, unitOptions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Gli uffici che curano i procedimenti, chi li dirige e le figure professionali coinvolte.">Strutture e figure professionali</PageTitle>
      <FormAlert result={result} />
      <div className="table-responsive">
        <table className="table">
          <caption>Strutture ({units.length})</caption>
          <thead>
            <tr>
              <th scope="col">Struttura</th>
              <th scope="col">Codice</th>
              <th scope="col">Dirigente responsabile</th>
              <th scope="col">Stato</th>
            </tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/admin/strutture/${u.id}`}>{u.name}</Link>
                </td>
                <td>{u.code}</td>
                <td>{u.head ?? "—"}</td>
                <td>{u.active ? "Attiva" : "Non attiva"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-responsive">
        <table className="table mt-4">
          <caption>Figure professionali ({positions.length})</caption>
          <thead>
            <tr>
              <th scope="col">Figura</th>
              <th scope="col">Titolare</th>
              <th scope="col">Struttura</th>
              <th scope="col">Stato</th>
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => (
              <tr key={p.id}>
                <td>{p.title}</td>
                <td>{p.holder || "—"}</td>
                <td>{p.orgUnitName}</td>
                <td>{p.active ? "Attiva" : "Non attiva"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormState result={result}>
        <div className="row mt-4">
          <div className="col-md-6">
            <h2 className="h4">Nuova struttura</h2>
            <Form method="post" className="mt-4" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="add-unit" />
              <TextField name="code" label="Codice" required maxLength={32} />
              <TextField name="name" label="Nome" required maxLength={200} />
              <button type="submit" className="btn btn-outline-primary">
                Aggiungi la struttura
              </button>
            </Form>
          </div>
          <div className="col-md-6">
            <h2 className="h4">Nuova figura professionale</h2>
            <Form method="post" className="mt-4" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="add-position" />
              <SelectField name="orgUnitId" label="Struttura" required empty="Scegli una struttura" options={unitOptions} />
              <TextField name="title" label="Figura" required maxLength={200} hint="Ad esempio «Responsabile del procedimento»." />
              <TextField name="holder" label="Titolare" maxLength={200} />
              <TextField name="email" label="E-mail" type="email" />
              <button type="submit" className="btn btn-outline-primary">
                Aggiungi la figura
              </button>
            </Form>
          </div>
        </div>
      </FormState>
    </>
  );
}
