import { Form } from "@remix-run/react";
import { CsrfInput } from "./csrf-input";
import { formatDateTime } from "./labels";

type Message = { id: string; side: string; author: string; body: string; createdAt: string; readAt: string | null };

/**
 * The message thread of an online application (ADR 92), the same on the applicant's page and
 * in the back office: the messages oldest first, the read mark on one's own, and the form.
 */
export function ApplicationMessages(props: { thread: { side: string; messages: Message[] }; writeLabel: string; otherSide: string }) {
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
            </li>
          ))}
        </ol>
      ) : (
        <p>Nessun messaggio con {props.otherSide}.</p>
      )}
      <Form method="post" key={thread.messages.length}>
        <CsrfInput />
        <input type="hidden" name="intent" value="messaggio" />
        <div className="form-group">
          <label htmlFor="message-body" className="active">{props.writeLabel}</label>
          <textarea id="message-body" name="body" className="form-control" rows={4} maxLength={4000} />
        </div>
        <button type="submit" className="btn btn-primary">Invia il messaggio</button>
      </Form>
    </section>
  );
}
