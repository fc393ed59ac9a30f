import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { ConfirmAction } from "~/components/confirm-action";
import { CsrfInput } from "~/components/csrf-input";
import { CheckboxField, FormAlert, FormState, SelectField, TextArea } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { AUDIT_ACTION_LABELS, OUTCOME_LABELS, SFTP_REASON_LABELS } from "~/audit/labels";
import { handleSftpAction, sftpPageData } from "~/sftp/page.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Accesso SFTP — ${data?.gestore.name ?? "Ente gestore"} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "sftp.manage");
  return sftpPageData(request, signedIn, params.cf ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "sftp.manage");
  return handleSftpAction(request, signedIn, params.cf ?? "", await requireForm(request, signedIn));
}

const when = (iso: string) => new Date(iso).toLocaleString("it-IT", { timeZone: "Europe/Rome", dateStyle: "short", timeStyle: "medium" });

export default function SftpAccounts() {
  const { gestore, endpoint, accounts, candidates, events, exports } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const example = accounts.find((a) => !a.revokedAt)?.username ?? `g${gestore.fiscalCode}-01`;
  return (
    <>
      <p>
        <Link to={`/enti/${gestore.fiscalCode}`}>Torna a {gestore.name}</Link>
      </p>
      <PageTitle lead="Il software gestionale dell'ente può inviare i flussi e ritirarne gli esiti con SFTP. Ogni utenza appartiene a una persona abilitata dell'ente, si collega solo dagli indirizzi indicati e ogni operazione è registrata.">
        Accesso SFTP
      </PageTitle>

      <h2 className="h4">Dati di collegamento</h2>
      {endpoint.enabled ? (
        <dl className="row">
          <dt className="col-sm-4">Server e porta</dt>
          <dd className="col-sm-8">
            <code>{endpoint.host}</code>, porta <code>{endpoint.port}</code>
          </dd>
          <dt className="col-sm-4">Impronta della chiave del server</dt>
          <dd className="col-sm-8">
            {endpoint.fingerprint ? <code data-testid="host-fingerprint" className="text-break">{endpoint.fingerprint}</code> : "Il server SFTP non è ancora stato avviato."}
            <div className="small">Al primo collegamento il programma mostra l'impronta: deve essere identica a questa.</div>
          </dd>
          <dt className="col-sm-4">Esempio di comando</dt>
          <dd className="col-sm-8">
            <code className="text-break">
              sftp -P {endpoint.port} -i chiave_privata {example}@{endpoint.host}
            </code>
          </dd>
          <dt className="col-sm-4">Cartelle</dt>
          <dd className="col-sm-8">
            <code>/in</code>: i flussi da inviare (un file completo e chiuso è ricevuto come dal sito o dall'API); <code>/out/esiti</code>: l'esito di ogni
            file (<code>&lt;id&gt;.json</code>) e gli errori (<code>&lt;id&gt;.errors.csv</code>); <code>/out/export</code>: gli elenchi preparati per l'utenza. I file di{" "}
            <code>/out</code> sono tolti dopo la lettura completa e restano consultabili su questo sito. <code>/verifica</code>: un file scritto qui è controllato come
            un invio ma non è inviato; l'esito compare accanto (<code>&lt;nome&gt;.json</code>, <code>&lt;nome&gt;.errors.csv</code>) per un'ora.
          </dd>
        </dl>
      ) : (
        <p className="alert alert-info">Il canale SFTP non è attivo su questa installazione.</p>
      )}

      <FormAlert result={result} />
      {result?.ok && "password" in result && result.password ? (
        <div className="alert alert-warning" role="status">
          <p className="mb-1">Password dell'utenza, mostrata una sola volta: copiala ora e consegnala al titolare in modo sicuro.</p>
          <p className="token-once mb-0" data-testid="new-password">{result.password}</p>
        </div>
      ) : null}

      <div className="table-responsive">
        <table className="table table-wide">
          <caption>Utenze SFTP dell'ente</caption>
          <thead>
            <tr>
              <th scope="col">Utenza</th>
              <th scope="col">Titolare</th>
              <th scope="col">Chiavi pubbliche</th>
              <th scope="col">Indirizzi ammessi</th>
              <th scope="col">Conferma di ricezione</th>
              <th scope="col">Stato</th>
            </tr>
          </thead>
          <tbody>
            {accounts.length === 0 ? (
              <tr>
                <td colSpan={6}>Nessuna utenza SFTP.</td>
              </tr>
            ) : null}
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>
                  <code>{a.username}</code>
                </td>
                <td>
                  {a.name} {a.surname}
                </td>
                <td>
                  <ul className="list-unstyled mb-0 small">
                    {a.publicKeys.map((k) => (
                      <li key={k.fingerprint} className="text-break">
                        {k.type === "ssh-rsa" ? `RSA ${k.bits} bit` : "ed25519"}: <code>{k.fingerprint}</code>
                      </li>
                    ))}
                    {a.hasPassword ? <li>e password</li> : null}
                  </ul>
                </td>
                <td className="small">{a.allowedCidrs.join(", ")}</td>
                <td>
                  {a.receiptMail ? "Sì" : "No"}
                  {a.revokedAt ? null : (
                    <Form method="post" className="mt-1">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="receipt" />
                      <input type="hidden" name="accountId" value={a.id} />
                      <input type="hidden" name="receiptMail" value={a.receiptMail ? "off" : "on"} />
                      <button type="submit" className="btn btn-sm btn-outline-primary text-nowrap" aria-label={`${a.receiptMail ? "Disattiva" : "Attiva"} la conferma di ricezione per ${a.username}`}>
                        {a.receiptMail ? "Disattiva" : "Attiva"}
                      </button>
                    </Form>
                  )}
                </td>
                <td>
                  {a.revokedAt ? (
                    `Revocata il ${when(a.revokedAt)}`
                  ) : (
                    <>
                    <Form method="post" className="mb-1">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="export" />
                      <input type="hidden" name="accountId" value={a.id} />
                      <button type="submit" className="btn btn-sm btn-outline-primary text-nowrap" aria-label={`Prepara elenco pratiche per ${a.username}`}>
                        Prepara elenco pratiche
                      </button>
                    </Form>
                    <ConfirmAction
                      id={`revoca-${a.id}`}
                      trigger="Revoca"
                      triggerLabel={`Revoca l'utenza ${a.username}`}
                      title="Revocare l'utenza?"
                      question={`Revocare l'utenza ${a.username} di ${a.name} ${a.surname}? Il software che la usa non potrà più collegarsi.`}
                      confirmLabel="Revoca l'utenza"
                      hidden={{ intent: "revoke", accountId: a.id }}
                      triggerClass="btn-outline-danger text-nowrap"
                    />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="h4 mt-4">File preparati in /out/export</h2>
      <div className="table-responsive">
        <table className="table">
          <caption>Elenchi preparati per le utenze: restano qui dopo il ritiro via SFTP</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Utenza</th>
              <th scope="col">Righe</th>
              <th scope="col">Preparato il</th>
              <th scope="col">Ritirato via SFTP</th>
            </tr>
          </thead>
          <tbody>
            {exports.length === 0 ? (
              <tr>
                <td colSpan={5}>Nessun file preparato.</td>
              </tr>
            ) : null}
            {exports.map((e) => (
              <tr key={e.id}>
                <td className="text-break">
                  <a href={`/enti/${gestore.fiscalCode}/sftp/esportazioni/${e.id}`} download>
                    {e.fileName}
                  </a>
                </td>
                <td>
                  <code>{e.username}</code>
                </td>
                <td>{e.rows.toLocaleString("it-IT")}</td>
                <td>{when(e.createdAt)}</td>
                <td>{e.readAt ? when(e.readAt) : "Non ancora"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="h4 mt-4 mb-5">Nuova utenza</h2>
      <FormState result={result && !result.ok ? result : null}>
        <Form method="post" className="mb-5">
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <SelectField name="userId" label="Titolare" required options={candidates} empty="Scegli una persona abilitata dell'ente" hint="Il nome utenza resta riconducibile a questa persona nel registro degli accessi." />
          <TextArea name="publicKeys" label="Chiavi pubbliche" required rows={4} mono hint="Una per riga, in formato OpenSSH (il contenuto del file .pub): ed25519, oppure RSA di almeno 3072 bit." />
          <TextArea name="allowedCidrs" label="Indirizzi IP pubblici statici ammessi" required rows={2} mono hint="Uno per riga, anche come rete (es. 203.0.113.10 o 203.0.113.0/28). Da altri indirizzi la connessione è chiusa prima dell'autenticazione." />
          <CheckboxField name="withPassword" label="Genera anche una password (mostrata una sola volta)" defaultChecked={false} />
          <CheckboxField name="receiptMail" label="Invia al titolare una e-mail di conferma di ricezione per ogni file" defaultChecked={false} />
          <button type="submit" className="btn btn-primary mt-3">
            Crea utenza
          </button>
        </Form>
      </FormState>

      <h2 className="h4">Operazioni registrate</h2>
      <div className="table-responsive">
        <table className="table table-sm table-wide">
          <caption>Ultime 50 operazioni SFTP dell'ente</caption>
          <thead>
            <tr>
              <th scope="col">Data e ora</th>
              <th scope="col">Operazione</th>
              <th scope="col">Utenza</th>
              <th scope="col">Indirizzo</th>
              <th scope="col">Esito</th>
              <th scope="col">Dettagli</th>
            </tr>
          </thead>
          <tbody>
            {events.length === 0 ? (
              <tr>
                <td colSpan={6}>Nessuna operazione registrata.</td>
              </tr>
            ) : null}
            {events.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td>{(AUDIT_ACTION_LABELS[e.action] ?? e.action).replace(/^SFTP: /, "")}</td>
                <td>{typeof e.details.username === "string" ? <code>{e.details.username}</code> : "—"}</td>
                <td>{e.ip ?? "—"}</td>
                <td>{OUTCOME_LABELS[e.outcome] ?? e.outcome}</td>
                <td className="small text-break">{eventDetails(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function eventDetails(d: Record<string, unknown>) {
  const parts: string[] = [];
  if (typeof d.path === "string") parts.push(d.path);
  if (typeof d.bytes === "number") parts.push(`${d.bytes.toLocaleString("it-IT")} byte`);
  if (typeof d.bytesIn === "number") parts.push(`ricevuti ${d.bytesIn.toLocaleString("it-IT")} byte, inviati ${Number(d.bytesOut).toLocaleString("it-IT")}`);
  if (typeof d.key === "string") parts.push(`chiave ${d.key}`);
  if (typeof d.reason === "string") parts.push(`motivo: ${SFTP_REASON_LABELS[d.reason] ?? d.reason}`);
  if (d.complete === false) parts.push("lettura parziale: il file resta");
  return parts.join(" · ") || "—";
}
