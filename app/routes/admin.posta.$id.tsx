import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireForm, requireInScope, requirePermission } from "~/auth/guards.server";
import { CsrfInput } from "~/components/csrf-input";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { InputError } from "~/lib/errors";
import { MAIL_STATE_LABELS, resendMail, viewMail } from "~/mail/admin.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.mail.subject ?? "Messaggio"} — Posta inviata — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "mail.view");
  const m = await requireInScope(request, actor, () => viewMail(request, actor, params.id ?? ""), "Messaggio non trovato.");
  return {
    mail: {
      id: m.id,
      recipient: m.recipient,
      subject: m.subject,
      template: m.template,
      text: m.text,
      html: m.html,
      state: m.state,
      stateLabel: MAIL_STATE_LABELS[m.state],
      attempts: m.attempts,
      lastError: m.last_error,
      messageId: m.message_id,
      createdAt: m.created_at,
      sentAt: m.sent_at,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "mail.view");
  await requireForm(request, signedIn);
  try {
    await resendMail(request, signedIn.actor, params.id);
    return { ok: true as const, message: "Messaggio rimesso in coda per l'invio." };
  } catch (e) {
    if (e instanceof InputError) return { ok: false as const, error: e.message };
    throw e;
  }
}

export default function OutboxMessage() {
  const { mail } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin/posta">← Posta inviata</Link>
      </p>
      <PageTitle lead={`A ${mail.recipient}`}>{mail.subject}</PageTitle>
      {result?.ok ? <div className="alert alert-success" role="status">{result.message}</div> : null}
      {result && !result.ok ? <div className="alert alert-danger" role="alert">{result.error}</div> : null}
      <dl className="row">
        <dt className="col-sm-3">Stato</dt>
        <dd className="col-sm-9">{mail.stateLabel}</dd>
        <dt className="col-sm-3">Modello</dt>
        <dd className="col-sm-9">{mail.template}</dd>
        <dt className="col-sm-3">Creato</dt>
        <dd className="col-sm-9">{formatDateTime(mail.createdAt)}</dd>
        <dt className="col-sm-3">Inviato</dt>
        <dd className="col-sm-9">{formatDateTime(mail.sentAt)}</dd>
        <dt className="col-sm-3">Tentativi</dt>
        <dd className="col-sm-9">{mail.attempts}</dd>
        {mail.lastError ? (
          <>
            <dt className="col-sm-3">Ultimo errore</dt>
            <dd className="col-sm-9">{mail.lastError}</dd>
          </>
        ) : null}
        {mail.messageId ? (
          <>
            <dt className="col-sm-3">Message-ID</dt>
            <dd className="col-sm-9">{mail.messageId}</dd>
          </>
        ) : null}
      </dl>
      {mail.state === "failed" ? (
        <Form method="post" className="mb-4">
          <CsrfInput />
          <button type="submit" className="btn btn-primary">Invia di nuovo</button>
        </Form>
      ) : null}
      <h2 className="h4">Testo del messaggio</h2>
      <pre className="border p-3 bg-light" style={{ whiteSpace: "pre-wrap" }} data-testid="mail-text">{mail.text}</pre>
      <details>
        <summary>Sorgente della versione HTML</summary>
        <pre className="border p-3 bg-light" style={{ whiteSpace: "pre-wrap" }}>{mail.html}</pre>
      </details>
    </>
  );
}
