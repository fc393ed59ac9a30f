import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { bulkMessageAction, gestoreMessageAction, gestoriForMessages, messageDraftOf, threadsPage } from "~/backoffice/pages.server";
import { CheckboxGroup } from "~/components/form-fields";
import { NewMessageForm } from "~/components/new-message-form";
import { formatDate, formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Messaggi — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "messages.use");
  return {
    threads: await threadsPage(signedIn),
    gestori: await gestoriForMessages(signedIn),
    draft: messageDraftOf(new URL(request.url)),
    isGestore: signedIn.actor.gestoreId !== null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "messages.use");
  return signedIn.actor.gestoreId ? gestoreMessageAction(request, signedIn) : bulkMessageAction(request, signedIn);
}

export default function Threads() {
  const { threads, gestori, draft, isGestore } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead={`Le comunicazioni tra gli uffici e gli enti gestori sulle pratiche, i flussi e gli obblighi di invio${isGestore ? "" : ", e con i richiedenti sulle domande online dei tuoi uffici"}.`}>Messaggi</PageTitle>
      {result && result.ok ? <div className="alert alert-success" role="status">{result.message}</div> : null}
      {result && !result.ok ? <div className="alert alert-danger" role="alert">{result.error}</div> : null}
      {result && result.ok && (result.preview || result.results) ? (
        <div className="table-responsive">
          <table className="table table-sm" data-testid="bulk-outcome">
            <caption>{result.preview ? "Anteprima dell'invio" : "Esito per ente"}</caption>
            <thead><tr><th scope="col">Ente gestore</th><th scope="col">Esito</th></tr></thead>
            <tbody>
              {(result.preview ?? result.results ?? []).map((r) => (
                <tr key={r.practiceId} className={r.ok ? "" : "table-danger"}><td>{r.code ?? "—"}</td><td>{r.ok ? r.outcome : `Escluso: ${r.outcome}`}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {isGestore ? <NewMessageForm summary="Nuovo messaggio all'ufficio" /> : null}
      {gestori.length ? (
        <NewMessageForm
          summary="Nuovo messaggio a uno o più enti gestori"
          open={!!draft.gestoreId}
          buttons={
            <>
              <button type="submit" name="intent" value="message-preview" className="btn btn-outline-primary me-2">Anteprima</button>
              <button type="submit" name="intent" value="message-send" className="btn btn-primary">Invia</button>
            </>
          }
        >
          {draft.uploadId ? (
            <p>
              <input type="hidden" name="uploadId" value={draft.uploadId} />
              Riguarda il <Link to={`/caricamenti/${draft.uploadId}`}>caricamento scartato</Link>.
            </p>
          ) : null}
          {draft.measureId ? (
            <p>
              <input type="hidden" name="measureId" value={draft.measureId} />
              Riguarda l'obbligo di invio della misura.
            </p>
          ) : null}
          <CheckboxGroup
            name="gestori"
            label="Enti gestori"
            options={gestori.map((g) => ({ value: g.id, label: `${g.name}${g.active ? "" : " (non attivo)"}` }))}
            defaultValues={draft.gestoreId ? [draft.gestoreId] : []}
          />
        </NewMessageForm>
      ) : null}
      {threads.length === 0 ? <p>Nessuna comunicazione.</p> : (
        <div className="table-responsive">
          <table className="table">
            <caption>Conversazioni, le più recenti prima</caption>
            <thead>
              <tr>
                <th scope="col">Oggetto</th>
                <th scope="col">Tipo</th>
                <th scope="col">Con</th>
                <th scope="col">Pratica o domanda</th>
                <th scope="col">Ultimo messaggio</th>
                <th scope="col">Da leggere</th>
              </tr>
            </thead>
            <tbody>
              {threads.map((t) => (
                <tr key={t.id}>
                  <td><Link to={t.href}>{t.subject}</Link></td>
                  <td>
                    {t.kind === "chiarimento" ? (
                      <>Richiesta di chiarimenti, entro il {formatDate(t.dueOn)}{t.answeredAt ? " (risposta inviata)" : ""}</>
                    ) : t.kind === "domanda" ? "Domanda online" : "Messaggio"}
                  </td>
                  <td>{t.with}</td>
                  <td>{t.about ?? "—"}</td>
                  <td>{formatDateTime(t.lastMessageAt)}</td>
                  <td>{t.unread ? <span className="badge bg-primary">{t.unread === 1 ? "1 nuovo" : `${t.unread} nuovi`}</span> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
