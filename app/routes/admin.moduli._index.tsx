import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { modelsIndex } from "~/applications/form-editor-pages.server";
import { BackToConfig } from "~/components/admin";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Moduli delle domande online — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { procedures: await modelsIndex(request) };
}

export default function FormModels() {
  const { procedures } = useLoaderData<typeof loader>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Per ogni procedimento, le versioni del modulo della domanda online. Una versione pubblicata non cambia più: per modificarla si crea una nuova bozza.">
        Moduli delle domande online
      </PageTitle>
      <div className="table-responsive">
        <table className="table">
          <caption className="visually-hidden">Procedimenti e versioni dei moduli</caption>
          <thead>
            <tr>
              <th scope="col">Procedimento</th>
              <th scope="col">Versioni del modulo</th>
              <th scope="col">Gestione</th>
            </tr>
          </thead>
          <tbody>
            {procedures.map((p) => (
              <tr key={p.id}>
                <th scope="row" className="fw-normal">
                  {p.title}
                </th>
                <td>
                  {p.versions.length ? (
                    <ul className="list-unstyled mb-0">
                      {p.versions.map((v) => (
                        <li key={v.id}>
                          <Link to={`/admin/moduli/${v.id}`}>
                            Versione {v.version}
                            <span className="visually-hidden"> del modulo di {p.title}</span>
                          </Link>{" "}
                          ({v.status})
                        </li>
                      ))}
                    </ul>
                  ) : (
                    "Nessun modulo"
                  )}
                </td>
                <td>
                  <Link to={`/admin/procedimenti/${p.id}/modulo`}>
                    Importa o crea<span className="visually-hidden"> il modulo di {p.title}</span>
                  </Link>
                  <br />
                  <Link to={`/admin/procedimenti/${p.id}/instradamento`}>
                    Uffici competenti<span className="visually-hidden"> per {p.title}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
