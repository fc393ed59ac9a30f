import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { measuresAdminData } from "~/admin/config-pages.server";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { formatDate } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Misure — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return { measures: await measuresAdminData() };
}


export default function Measures() {
  const { measures } = useLoaderData<typeof loader>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Le linee di finanziamento per cui gli enti gestori inviano i flussi.">Misure</PageTitle>
      <p>
        <Link className="btn btn-primary" to="/admin/misure/nuova">
          Nuova misura
        </Link>
      </p>
      <div className="table-responsive">
        <table className="table">
          <caption>Misure ({measures.length})</caption>
          <thead>
            <tr>
              <th scope="col">Codice</th>
              <th scope="col">Nome</th>
              <th scope="col">Apertura</th>
              <th scope="col">Chiusura</th>
              <th scope="col">Stato</th>
              <th scope="col">Procedimento</th>
            </tr>
          </thead>
          <tbody>
            {measures.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/admin/misure/${m.id}`}>{m.code}</Link>
                </td>
                <td>{m.name}</td>
                <td>{formatDate(m.opensOn)}</td>
                <td>{formatDate(m.closesOn)}</td>
                <td>{m.isOpen ? "Aperta" : "Chiusa"}</td>
                <td>{m.procedureTitle ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
