import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { ActionResult } from "~/components/action-result";
import { CsrfInput } from "~/components/csrf-input";
import { PageTitle } from "~/components/layout";
import { saveVisibilitySheet, visibilitySheetData } from "~/territories/visibility-page.server";

export const meta: MetaFunction = () => [{ title: "Scheda di visibilità — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return visibilitySheetData();
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return saveVisibilitySheet(request, signedIn, await requireForm(request, signedIn));
}

export default function VisibilitySheet() {
  const { categories, actors, options, legend } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A refused sheet is shown as sent, so the administrator corrects it rather than starting over.
  const sent = result && !result.ok ? result.sent : undefined;
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Per ogni tipo di utente e ogni categoria di dati, che cosa può vedere (Allegato B). Le interrogazioni della piattaforma applicano la scheda salvata: pagine ed esportazioni la rispettano dal salvataggio in poi.">
        Scheda di visibilità
      </PageTitle>
      <ActionResult result={result} />
      {/* Remounted whenever the stored sheet changes, so the fields show it after a save. */}
      <Form method="post" key={sent ? "sent" : actors.map((a) => a.levels.map((l) => l.key).join()).join(";")}>
        <CsrfInput />
        <div className="table-responsive mb-3">
          <table className="table visibility-sheet">
            <caption>Visibilità per tipo di utente e categoria di dati</caption>
            <thead>
              <tr>
                <th scope="col">Tipo di utente</th>
                {categories.map((c) => (
                  <th scope="col" key={c.key}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {actors.map((a) => (
                <tr key={a.key}>
                  <th scope="row">{a.label}</th>
                  {a.levels.map((l, i) => {
                    const c = categories[i]!;
                    const id = `livello-${a.key}-${c.key}`;
                    return (
                      <td key={c.key} data-level={l.key}>
                        <label htmlFor={id} className="visually-hidden">{`${a.label}: ${c.label}`}</label>
                        <select id={id} name={`${a.key}.${c.key}`} className="form-select form-select-sm" defaultValue={sent?.[a.key]?.[c.key] ?? l.key} style={{ minWidth: "12rem" }}>
                          {options.map((o) => (
                            <option key={o.key} value={o.key}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="small">
          Combinazioni non ammesse: gli uffici regionali restano a visibilità totale; «Limitata al proprio ente» vale solo per gli enti gestori e
          «Individuale anonima nel proprio territorio» solo per gli utenti regionali, di ATS e comunali; identità dei beneficiari e flussi caricati
          sono dati individuali (totale, proprio ente o nessuna); l'identità non può essere più ampia dei dati delle pratiche, né i flussi più ampi
          dell'identità; gli importi seguono i dati delle pratiche (si possono togliere solo dalle righe anonime).
        </p>
        <button type="submit" className="btn btn-primary mb-5">
          Salva la scheda
        </button>
      </Form>
      <h2 className="h5">Livelli</h2>
      <dl>
        {legend.map((l) => (
          <div key={l.key}>
            <dt>{l.label}</dt>
            <dd>{l.description}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
