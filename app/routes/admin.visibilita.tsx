import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { PageTitle } from "~/components/layout";
import { visibilitySheetData } from "~/territories/visibility-page.server";

export const meta: MetaFunction = () => [{ title: "Scheda di visibilità — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return visibilitySheetData();
}

export default function VisibilitySheet() {
  const { categories, actors, legend } = useLoaderData<typeof loader>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Per ogni tipo di utente e ogni categoria di dati, che cosa può vedere (Allegato B). La tabella è quella che applicano le interrogazioni della piattaforma: pagine ed esportazioni la rispettano.">
        Scheda di visibilità
      </PageTitle>
      <div className="table-responsive mb-4">
        <table className="table">
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
                {a.levels.map((l, i) => (
                  <td key={categories[i]!.key} data-level={l.key}>
                    {l.label}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
