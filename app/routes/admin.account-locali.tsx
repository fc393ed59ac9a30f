import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { adminAction, adminLoader } from "~/local-accounts/pages.server";

export const meta: MetaFunction = () => [{ title: "Account locali dei richiedenti — Monitoraggio pratiche" }];

export const loader = ({ request }: LoaderFunctionArgs) => adminLoader(request);
export const action = ({ request }: ActionFunctionArgs) => adminAction(request);

export default function LocalAccountsAdmin() {
  const { accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Richiedenti registrati con e-mail, password e app di autenticazione. Dopo 5 tentativi falliti di fila l'account si blocca per 30 minuti; qui si vede il blocco e si può togliere.">
        Account locali dei richiedenti
      </PageTitle>
      <FormAlert result={result} />
      <div className="table-responsive">
        <table className="table">
          <caption>Account locali ({accounts.length})</caption>
          <thead>
            <tr>
              <th scope="col">Richiedente</th>
              <th scope="col">Stato</th>
              <th scope="col">
                <span className="visually-hidden">Azioni</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.userId} data-testid={`local-account-${a.email}`}>
                <td>
                  {a.name}
                  <br />
                  <small className="text-break">
                    {a.fiscalCode} · {a.email}
                  </small>
                </td>
                <td>
                  {a.locked ? (
                    <strong className="text-danger">
                      Bloccato dal {a.lockedAt} fino al {a.lockedUntil}
                    </strong>
                  ) : !a.verified ? (
                    "E-mail da confermare"
                  ) : !a.enrolled ? (
                    "Secondo fattore da attivare"
                  ) : (
                    "Attivo"
                  )}
                  <br />
                  <small>Tentativi falliti di fila: {a.failedAttempts}</small>
                </td>
                <td>
                  {a.locked ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="userId" value={a.userId} />
                      <button type="submit" className="btn btn-outline-primary btn-sm text-nowrap" aria-label={`Sblocca ${a.name}`}>
                        Sblocca
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
