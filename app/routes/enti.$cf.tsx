import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { can, ROLE_LABELS } from "~/auth/permissions";
import { PageTitle } from "~/components/layout";
import { viewGestore } from "~/gestori/gestori.server";
import { RemindersHistory } from "~/components/reminders-history";
import { remindersOf } from "~/timeliness/pages.server";
import { sftpEndpoint } from "~/sftp/page.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.gestore.name ?? "Ente gestore"} — Monitoraggio pratiche` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "gestori.view");
  const detail = await viewGestore(request, actor, params.cf ?? "");
  return {
    gestore: {
      name: detail.gestore.name,
      fiscalCode: detail.gestore.fiscalCode,
      email: detail.gestore.email,
      pec: detail.gestore.pec,
      active: detail.gestore.active,
    },
    measures: detail.measures,
    operators: detail.operators.map((o) => ({ ...o, roleLabel: ROLE_LABELS[o.role] })),
    timeliness: await remindersOf(detail.gestore.id),
    sftp: { ...sftpEndpoint(), manage: can(actor.role, "sftp.manage") && actor.gestoreId === detail.gestore.id },
  };
}

export default function Gestore() {
  const { gestore, measures, operators, timeliness, sftp } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead={`Codice fiscale ${gestore.fiscalCode}`}>{gestore.name}</PageTitle>
      <dl className="row">
        <dt className="col-sm-3">E-mail</dt>
        <dd className="col-sm-9">{gestore.email ?? "—"}</dd>
        <dt className="col-sm-3">PEC</dt>
        <dd className="col-sm-9">{gestore.pec ?? "—"}</dd>
        <dt className="col-sm-3">Stato</dt>
        <dd className="col-sm-9">{gestore.active ? "Attivo" : "Disattivato"}</dd>
      </dl>
      <h2 className="h4">Misure per cui è accreditato</h2>
      {measures.length ? (
        <ul>
          {measures.map((m) => (
            <li key={m.code}>
              <strong>{m.code}</strong> — {m.name} {m.isOpen ? "" : "(chiusa)"}
            </li>
          ))}
        </ul>
      ) : (
        <p>Nessuna misura.</p>
      )}
      <h2 className="h4">Operatori abilitati</h2>
      <div className="table-responsive">
        <table className="table">
          <caption>Persone abilitate per questo ente</caption>
          <thead>
            <tr>
              <th scope="col">Nome</th>
              <th scope="col">Ruolo</th>
              <th scope="col">E-mail</th>
            </tr>
          </thead>
          <tbody>
            {operators.map((o) => (
              <tr key={o.accessId}>
                <td>
                  {o.name} {o.surname}
                </td>
                <td>{o.roleLabel}</td>
                <td>{o.email}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sftp.enabled ? (
        <>
          <h2 className="h4">Canale SFTP</h2>
          <p>
            Server <code>{sftp.host}</code>, porta <code>{sftp.port}</code>. Impronta della chiave del server:{" "}
            {sftp.fingerprint ? <code className="text-break" data-testid="host-fingerprint">{sftp.fingerprint}</code> : "non ancora generata (il server SFTP non è stato avviato)."}
          </p>
          {sftp.manage ? (
            <p>
              <Link to={`/enti/${gestore.fiscalCode}/sftp`}>Utenze SFTP e operazioni registrate</Link>
            </p>
          ) : null}
        </>
      ) : null}
      <RemindersHistory reminders={timeliness.reminders} escalations={timeliness.escalations} />
    </>
  );
}
