import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { templatesAdminData } from "~/admin/config-pages.server";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Modelli delle e-mail — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return { templates: await templatesAdminData() };
}

export default function Templates() {
  const { templates } = useLoaderData<typeof loader>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="I testi dei messaggi che la piattaforma invia. Una versione modificata sostituisce quella predefinita finché non la ripristini.">
        Modelli delle e-mail
      </PageTitle>
      <div className="table-responsive">
        <table className="table">
          <caption>Modelli ({templates.length})</caption>
          <thead>
            <tr>
              <th scope="col">Modello</th>
              <th scope="col">Oggetto predefinito</th>
              <th scope="col">Versione in uso</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr key={t.name}>
                <td>
                  <Link to={`/admin/modelli/${t.name}`}>{t.title}</Link>
                </td>
                <td>{t.subject}</td>
                <td>{t.overridden ? `Modificata il ${new Date(t.updatedAt!).toLocaleString("it-IT", { timeZone: "Europe/Rome" })}` : "Predefinita"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
