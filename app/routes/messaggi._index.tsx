import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { threadsPage } from "~/backoffice/pages.server";
import { formatDate, formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Messaggi — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "messages.use");
  return { threads: await threadsPage(signedIn) };
}

export default function Threads() {
  const { threads } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead="Le comunicazioni tra gli uffici e gli enti gestori sulle pratiche, i flussi e gli obblighi di invio.">Messaggi</PageTitle>
      {threads.length === 0 ? <p>Nessuna comunicazione.</p> : (
        <table className="table">
          <caption>Conversazioni, le più recenti prima</caption>
          <thead>
            <tr>
              <th scope="col">Oggetto</th>
              <th scope="col">Tipo</th>
              <th scope="col">Ente gestore</th>
              <th scope="col">Pratica</th>
              <th scope="col">Ultimo messaggio</th>
              <th scope="col">Da leggere</th>
            </tr>
          </thead>
          <tbody>
            {threads.map((t) => (
              <tr key={t.id}>
                <td><Link to={`/messaggi/${t.id}`}>{t.subject}</Link></td>
                <td>
                  {t.kind === "chiarimento" ? (
                    <>Richiesta di chiarimenti, entro il {formatDate(t.dueOn)}{t.answeredAt ? " (risposta inviata)" : ""}</>
                  ) : "Messaggio"}
                </td>
                <td>{t.gestoreName}</td>
                <td>{t.practiceCode ?? "—"}</td>
                <td>{formatDateTime(t.lastMessageAt)}</td>
                <td>{t.unread ? <span className="badge bg-primary">{t.unread} nuovi</span> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
