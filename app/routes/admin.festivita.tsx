import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { handleHolidaysAction, holidaysAdminData } from "~/admin/config-pages.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Festività locali — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return { holidays: await holidaysAdminData() };
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleHolidaysAction(request, signedIn, await requireForm(request, signedIn));
}

export default function HolidaysAdmin() {
  const { holidays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Errors of the add form are shown next to its fields; a refused removal only in the alert.
  const adding = result && !result.ok && result.values.intent === "add" ? result : undefined;
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Oltre a sabati, domeniche e festività nazionali (compresa la Pasquetta): una scadenza di invio che cade in uno di questi giorni passa al primo giorno lavorativo successivo.">
        Festività locali
      </PageTitle>
      <FormAlert result={result} />
      <div className="table-responsive">
        <table className="table">
          <caption>Festività locali registrate ({holidays.length})</caption>
          <thead>
            <tr>
              <th scope="col">Festività</th>
              <th scope="col">Data</th>
              <th scope="col">Ricorrenza</th>
              <th scope="col">
                <span className="visually-hidden">Azioni</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {holidays.map((h) => (
              <tr key={h.id}>
                <td>{h.name}</td>
                <td>{h.when}</td>
                <td>{h.everyYear ? "Ogni anno" : "Solo quell'anno"}</td>
                <td>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="id" value={h.id} />
                    <button type="submit" className="btn btn-outline-danger btn-sm" aria-label={`Rimuovi ${h.name} (${h.when})`}>
                      Rimuovi
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 className="h4 mt-4">Aggiungi una festività</h2>
      <FormState result={adding}>
        <Form method="post" className="row mt-4" noValidate key={holidays.length}>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          <TextField
            className="col-md-4"
            name="date"
            label="Data"
            required
            maxLength={10}
            hint="MM-GG per una festività di ogni anno (05-04 è il 4 maggio), AAAA-MM-GG per un solo giorno (2026-12-07)."
          />
          <TextField className="col-md-8" name="name" label="Nome della festività" required maxLength={100} />
          <div className="col-12">
            <button type="submit" className="btn btn-primary">
              Aggiungi
            </button>
          </div>
        </Form>
      </FormState>
    </>
  );
}
