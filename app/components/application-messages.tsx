import { Form } from "@remix-run/react";
import { CsrfInput } from "./csrf-input";
import { formatDateTime } from "./labels";

type Message = { id: string; side: string; author: string; body: string; createdAt: string; readAt: string | null; files: { id: string; fileName: string; sizeBytes: number }[] };

/** How an application's files are named on its pages, by kind. */
export const FILE_KINDS: Record<string, string> = { allegato: "allegato", ricevuta: "ricevuta", messaggio: "allegato a un messaggio" };

/**
 * The message thread of an online application (ADR 92), the same on the applicant's page and
 * in the back office: the messages oldest first with their attachments (ADR 113, downloaded
 * through `fileHref`, audited), the read mark on one's own, and the form.
 */
export function ApplicationMessages(props: { thread: { side: string; messages: Message[] }; writeLabel: string; otherSide: string; fileHref: (id: string) => string }) {
  const { thread } = props;
  return (
    <section aria-labelledby="messaggi-titolo" className="mb-4" id="messaggi">
      <h2 id="messaggi-titolo" className="h4">Messaggi</h2>
      {thread.messages.length ? (
        <ol className="list-unstyled" data-testid="messages">
          {thread.messages.map((m) => (
            <li key={m.id} className={`border rounded p-3 mb-3 ${m.side === thread.side ? "border-primary" : ""}`}>
              <p className="text-muted small mb-2">
                {m.side === thread.side ? "Tu" : m.author} — {formatDateTime(m.createdAt)}
                {m.side === thread.side ? (m.readAt ? ` — letto il ${formatDateTime(m.readAt)}` : " — non ancora letto") : null}
              </p>
              <p className="mb-0" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{m.body}</p>
              {m.files.length ? (
                <ul className="mt-2 mb-0" aria-label="Allegati del messaggio">
                  {m.files.map((f) => <li key={f.id}><a href={props.fileHref(f.id)} style={{ overflowWrap: "anywhere" }}>{f.fileName}</a> ({f.sizeBytes} byte)</li>)}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p>Nessun messaggio con {props.otherSide}.</p>
      )}
      <Form method="post" encType="multipart/form-data" key={thread.messages.length}>
        <CsrfInput />
        <input type="hidden" name="intent" value="messaggio" />
        <div className="form-group">
          <label htmlFor="message-body" className="active">{props.writeLabel}</label>
          <textarea id="message-body" name="body" className="form-control" rows={4} maxLength={4000} />
        </div>
        <div className="mb-3">
          <label htmlFor="message-file" className="form-label">Allegato (facoltativo)</label>
          <input id="message-file" name="file" type="file" className="form-control" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="message-file-help" />
          <small id="message-file-help" className="form-text">PDF, JPEG o PNG, al massimo 10 MB.</small>
        </div>
        <button type="submit" className="btn btn-primary">Invia il messaggio</button>
      </Form>
    </section>
  );
}
