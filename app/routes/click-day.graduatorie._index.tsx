import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { rankingList } from "~/applications/clickday-pages.server";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Graduatorie dei click day — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return rankingList(request);
}

export default function Rankings() {
  const { days } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead="Per ogni click day, le domande nell'ordine di arrivo al server, con la linea della quota.">Graduatorie dei click day</PageTitle>
      {days.length ? (
        <ul>
          {days.map((d) => (
            <li key={d.id} className="mb-2">
              <Link to={`/click-day/graduatorie/${d.id}`}>{d.label}</Link> — {d.procedure}; apertura {formatDateTime(d.opensAt)}; {d.received} domande ricevute, quota {d.quota}
            </li>
          ))}
        </ul>
      ) : <p>Nessun click day.</p>}
    </>
  );
}
