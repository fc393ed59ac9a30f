import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { CATEGORY_LABELS, CHANNEL_LABELS, TICKET_STATE_LABELS } from "~/helpdesk/input";
import { CsrfInput } from "./csrf-input";
import { FormAlert, FormState, SelectField, TextArea, type FormResult } from "./form-fields";
import { formatDateTime } from "./labels";

/** A help-desk ticket as its sender and its operators read it (issue 17). */
export type TicketViewData = {
  number: string;
  category: keyof typeof CATEGORY_LABELS;
  state: keyof typeof TICKET_STATE_LABELS;
  channel: keyof typeof CHANNEL_LABELS;
  subject: string;
  senderName: string;
  senderEmail: string;
  senderPhone: string | null;
  subjectKind: string | null;
  subjectRef: string | null;
  subjectLabel: string | null;
  createdAt: string;
  closedAt: string | null;
  queueName: string;
  messages: { id: string; side: string; kind: string; body: string; createdAt: string; author: string | null }[];
  attachments: { id: string; messageId: string | null; fileName: string; sizeBytes: number }[];
};

const KIND_LABELS: Record<string, string> = {
  richiesta: "Richiesta",
  messaggio: "Messaggio",
  richiesta_informazioni: "Richiesta di informazioni",
  risposta: "Risposta",
  nota: "Nota",
};

export const categoryLabel = (c: string) => CATEGORY_LABELS[c as keyof typeof CATEGORY_LABELS]?.split(" (")[0] ?? c;
export const ticketStateLabel = (s: string) => TICKET_STATE_LABELS[s as keyof typeof TICKET_STATE_LABELS] ?? s;

export function TicketStateBadge({ state }: { state: string }) {
  const tone = state === "closed" ? "bg-secondary" : state === "waiting" ? "bg-warning text-dark" : state === "answered" ? "bg-success" : "bg-primary";
  return <span className={`badge ${tone}`}>{ticketStateLabel(state)}</span>;
}

export function TicketSummary({ t, children }: { t: TicketViewData; children?: ReactNode }) {
  return (
    <dl className="row mb-4" data-testid="ticket-summary">
      <dt className="col-sm-3">Numero</dt>
      <dd className="col-sm-9">{t.number}</dd>
      <dt className="col-sm-3">Stato</dt>
      <dd className="col-sm-9" data-testid="ticket-state"><TicketStateBadge state={t.state} /></dd>
      <dt className="col-sm-3">Categoria</dt>
      <dd className="col-sm-9">{categoryLabel(t.category)} — {t.queueName}</dd>
      <dt className="col-sm-3">Ricevuta il</dt>
      <dd className="col-sm-9">{formatDateTime(t.createdAt)} ({CHANNEL_LABELS[t.channel]})</dd>
      {t.subjectKind ? (
        <>
          <dt className="col-sm-3">Riguarda</dt>
          <dd className="col-sm-9" data-testid="ticket-about">
            {t.subjectLabel ?? (t.subjectKind === "practice" ? `la pratica n. ${t.subjectRef}` : t.subjectKind === "upload" ? `il caricamento ${t.subjectRef}` : `la domanda ${t.subjectRef}`)}
          </dd>
        </>
      ) : null}
      {t.closedAt ? (
        <>
          <dt className="col-sm-3">Chiusa il</dt>
          <dd className="col-sm-9">{formatDateTime(t.closedAt)}</dd>
        </>
      ) : null}
      {children}
    </dl>
  );
}

/** The messages, oldest first, each with its attachments (downloaded through `attachmentHref`). */
export function TicketMessages({
  t,
  attachmentHref,
  messageAction,
}: {
  t: TicketViewData;
  attachmentHref: (id: string) => string;
  /** Something to do with one message (the operator's "propose as a frequent answer"). */
  messageAction?: (m: TicketViewData["messages"][number]) => ReactNode;
}) {
  return (
    <ol className="list-unstyled" data-testid="ticket-messages">
      {t.messages.map((m) => (
        <li key={m.id} className={`border rounded p-3 mb-3 ${m.side === "operatore" ? "border-primary" : ""}`}>
          <p className="text-muted small mb-2">
            {KIND_LABELS[m.kind] ?? m.kind} — {m.side === "operatore" ? `help desk${m.author ? ` (${m.author})` : ""}` : t.senderName} — {formatDateTime(m.createdAt)}
          </p>
          <p className="mb-2" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{m.body}</p>
          {t.attachments.filter((a) => a.messageId === m.id).map((a) => (
            <p key={a.id} className="mb-0">
              Allegato: <a href={attachmentHref(a.id)}>{a.fileName}</a> ({a.sizeBytes} byte)
            </p>
          ))}
          {messageAction?.(m)}
        </li>
      ))}
    </ol>
  );
}

/** What a sender can do on their ticket: write (with an attachment) or, once closed, reopen within 10 days. */
export function SenderActions({ t, reopenable, result, csrf }: { t: TicketViewData; reopenable: boolean; result: FormResult | undefined; csrf: boolean }) {
  return (
    <FormState result={result}>
      <FormAlert result={result} />
      {t.state === "closed" ? (
        reopenable ? (
          <Form method="post" className="mb-4">
            {csrf ? <CsrfInput /> : null}
            <input type="hidden" name="intent" value="reopen" />
            <h2 className="h4 mb-4">Riapri la richiesta</h2>
            <p className="mb-4">La risposta non ha risolto il problema? Puoi riaprire la richiesta entro 10 giorni dalla chiusura.</p>
            <TextArea name="body" label="Perché la riapri (facoltativo)" rows={3} />
            <button type="submit" className="btn btn-outline-primary">Riapri la richiesta</button>
          </Form>
        ) : (
          <p>La richiesta è chiusa. Per un nuovo problema invia una nuova richiesta di assistenza.</p>
        )
      ) : (
        <Form method="post" encType="multipart/form-data" className="mb-4">
          {csrf ? <CsrfInput /> : null}
          <input type="hidden" name="intent" value="reply" />
          <h2 className="h4 mb-4">{t.state === "waiting" ? "Rispondi alla richiesta di informazioni" : "Scrivi all'help desk"}</h2>
          <TextArea name="body" label="Testo" rows={5} required />
          <AttachmentField />
          <button type="submit" className="btn btn-primary">Invia</button>
        </Form>
      )}
    </FormState>
  );
}

export function AttachmentField() {
  return (
    <div className="mb-4">
      {/* A plain label above the field: bootstrap-italia's lifted label, two lines long on a phone, ran into the field above. */}
      <label htmlFor="file" className="form-label">
        Allegato (facoltativo)
      </label>
      <input type="file" id="file" name="file" className="form-control" aria-describedby="file-hint" />
      <small id="file-hint" className="form-text">
        Al massimo 10 MB: pdf, p7m, immagini, documenti di testo e fogli di calcolo.
      </small>
    </div>
  );
}

/** The category select, shared by the public form and the phone form. */
export function CategoryField() {
  return (
    <SelectField
      name="category"
      label="Categoria"
      required
      defaultValue=""
      empty="Scegli la categoria"
      options={Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label }))}
    />
  );
}


