import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { PageTitle } from "~/components/layout";
import { gestoriVisibleTo } from "~/gestori/gestori.server";

export const meta: MetaFunction = () => [{ title: "Enti gestori — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "gestori.view");
  const rows = await gestoriVisibleTo(actor);
  return { gestori: rows.map((g) => ({ fiscalCode: g.fiscalCode, name: g.name, active: g.active })) };
}

export default function Gestori() {
  const { gestori } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle>Enti gestori</PageTitle>
      <div className="table-responsive">
        <table className="table">
          <caption>Enti gestori visibili ({gestori.length})</caption>
          <thead>
            <tr>
              <th scope="col">Denominazione</th>
              <th scope="col">Codice fiscale</th>
              <th scope="col">Stato</th>
            </tr>
          </thead>
          <tbody>
            {gestori.map((g) => (
              <tr key={g.fiscalCode}>
                <td>
                  <Link to={`/enti/${g.fiscalCode}`}>{g.name}</Link>
                </td>
                <td>{g.fiscalCode}</td>
                <td>{g.active ? "Attivo" : "Disattivato"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
