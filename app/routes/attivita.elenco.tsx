import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { activityItemsPage } from "~/activity/activity.server";
import { requirePermission } from "~/auth/guards.server";
import { formatDate, formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Attività"} — Monitoraggio pratiche` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "activity.view");
  return activityItemsPage(request, signedIn);
}

export default function ActivityItems() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead={<>Periodo dal {formatDate(d.period.from)} al {formatDate(d.period.to)}. <Link to={d.back}>Torna al rapporto</Link></>}>{d.title}</PageTitle>
      {d.rows.length === 0 ? (
        <p>Nessuna voce.</p>
      ) : (
        <div className="table-responsive">
          <table className="table" data-testid="activity-items">
            <caption>Voci ({d.rows.length})</caption>
            <thead>
              <tr><th scope="col">Voce</th><th scope="col">Quando</th>{d.rows[0]?.extra !== null ? <th scope="col">Scadenza</th> : null}</tr>
            </thead>
            <tbody>
              {d.rows.map((r, i) => (
                <tr key={i}>
                  <td><Link to={r.href}>{r.label}</Link></td>
                  <td>{formatDateTime(r.at)}</td>
                  {r.extra !== null ? <td>{formatDate(r.extra)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
