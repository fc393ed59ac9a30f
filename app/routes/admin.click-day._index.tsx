import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { clickDayAdminPage, clickDaySaveAction } from "~/applications/clickday-admin.server";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { ClickDayForm } from "~/components/click-day-form";
import { FormAlert, FormState } from "~/components/form-fields";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Click day — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return clickDayAdminPage();
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return clickDaySaveAction(request, signedIn, null);
}

export default function ClickDayAdmin() {
  const { days, procedures, models } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Le aperture annunciate dei procedimenti a click day: l'istante di apertura, al secondo e in ora italiana, l'eventuale chiusura e la quota. Un click day si può modificare solo prima dell'apertura.">Click day</PageTitle>
      {days.length === 0 ? (
        <p>Nessun click day.</p>
      ) : (
        <div className="table-responsive">
          <table className="table">
            <caption>Click day ({days.length})</caption>
            <thead>
              <tr><th scope="col">Nome</th><th scope="col">Procedimento</th><th scope="col">Apertura</th><th scope="col">Chiusura</th><th scope="col" className="text-end">Quota</th><th scope="col">Ripartizione</th><th scope="col" className="text-end">Ricevute</th></tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.id}>
                  <td>{d.open ? d.label : <Link to={`/admin/click-day/${d.id}`}>{d.label}</Link>}</td>
                  <td>{d.procedure}</td>
                  <td>{formatDateTime(d.opensAt)}</td>
                  <td>{formatDateTime(d.closesAt)}</td>
                  <td className="text-end">{d.quota.toLocaleString("it-IT")}</td>
                  <td>{d.groupBy === "none" ? "Nessuna" : `${d.groupBy === "category" ? "Per categoria" : "Per provincia"} (${d.groupField})`}</td>
                  <td className="text-end">{d.received.toLocaleString("it-IT")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormState result={result}>
        <h2 className="h4 mb-4">Nuovo click day</h2>
        <FormAlert result={result} />
        <ClickDayForm key={days.length} procedures={procedures} models={models} />
      </FormState>
    </>
  );
}
