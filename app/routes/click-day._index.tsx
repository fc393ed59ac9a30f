import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { clickDayList } from "~/applications/clickday-pages.server";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Click day — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return clickDayList(request);
}

export default function ClickDays() {
  const { days } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead="Le domande si preparano prima e si inviano tutte insieme all'apertura: conta l'ordine di arrivo.">Click day</PageTitle>
      {days.length ? (
        <ul className="list-unstyled">
          {days.map((d) => (
            <li key={d.id} className="mb-3">
              <Link to={`/click-day/${d.id}`}>{d.label}</Link> — {d.procedure}
              <br />
              <span className="small">Apertura: {formatDateTime(d.opensAt)} (ora italiana) · {d.quota} domande in quota</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nessun click day in programma.</p>
      )}
    </>
  );
}
