import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { CONFIG_SECTIONS } from "~/components/admin";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return null;
}

export default function ConfigHome() {
  return (
    <>
      <PageTitle lead="Ogni modifica è verificata, registrata nel registro accessi e protetta dalle modifiche concorrenti.">Configurazione</PageTitle>
      <div className="row">
        {CONFIG_SECTIONS.map((s) => (
          <div className="col-12 col-md-6 col-lg-4 mb-3" key={s.to}>
            <div className="card card-bg">
              <div className="card-body">
                <h2 className="card-title h5">
                  <Link to={s.to}>{s.title}</Link>
                </h2>
                <p className="card-text">{s.lead}</p>
              </div>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}
