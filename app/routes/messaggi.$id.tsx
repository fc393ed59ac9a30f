import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { threadAction, threadPage } from "~/backoffice/pages.server";
import { SelectField } from "~/components/form-fields";
import { CsrfInput } from "~/components/csrf-input";
import { formatDate, formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.subject ?? "Messaggio"} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "messages.use");
  return threadPage(request, signedIn, params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "messages.use");
  return threadAction(request, signedIn, params.id ?? "");
}

export default function Thread() {
  const t = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle
        lead={
          <>
            {t.gestoreName}
            {t.practiceId ? <> — pratica <Link to={`/pratiche/${t.practiceId}`}>{t.practiceCode}</Link></> : null}
            {t.uploadId ? <> — <Link to={`/caricamenti/${t.uploadId}`}>caricamento</Link></> : null}
            {t.measureCode ? <> — obbligo di invio {t.measureCode}</> : null}
          </>
        }
      >
        {t.subject}
      </PageTitle>
      {t.kind === "chiarimento" ? (
        <div className={`alert ${t.answeredAt ? "alert-success" : "alert-warning"}`} data-testid="clarification-status">
          Richiesta di chiarimenti: risposta attesa entro il {formatDate(t.dueOn)}.
          {t.answeredAt ? ` Risposta inviata il ${formatDateTime(t.answeredAt)}.` : " Non ancora risposta."}
        </div>
      ) : null}
      {result && result.ok ? <div className="alert alert-success" role="status">{result.message}</div> : null}
      {result && !result.ok ? <div className="alert alert-danger" role="alert">{result.error}</div> : null}
      <ol className="list-unstyled" data-testid="messages">
        {t.messages.map((m) => (
          <li key={m.id} className={`border rounded p-3 mb-3 ${m.side === t.side ? "border-primary" : ""}`}>
            <div>
              <p className="text-muted small mb-2">
                {m.authorName} {m.authorSurname} ({m.side === "ufficio" ? "ufficio" : "ente gestore"}) — {formatDateTime(m.createdAt)}
                {m.side === t.side ? (m.readAt ? ` — letto il ${formatDateTime(m.readAt)}` : " — non ancora letto") : null}
              </p>
              <p className="mb-2" style={{ whiteSpace: "pre-wrap" }}>{m.body}</p>
              {t.attachments.filter((a) => a.messageId === m.id).map((a) => (
                <p key={a.id} className="mb-0">
                  Allegato: <a href={`/documenti/${a.id}`}>{a.fileName}</a> ({t.docTypes[a.docType as keyof typeof t.docTypes] ?? a.docType}, {a.sizeBytes} byte)
                </p>
              ))}
            </div>
          </li>
        ))}
      </ol>
      <h2 className="h4">Rispondi</h2>
      <Form method="post" encType="multipart/form-data" className="mb-4" key={t.messages.length}>
        <CsrfInput />
        <div className="mb-3">
          <label htmlFor="body" className="form-label">Testo</label>
          <textarea id="body" name="body" className="form-control" rows={5} required maxLength={10000} />
        </div>
        <div className="row g-3 mb-3">
          <div className="col-md-6">
            <label htmlFor="file" className="form-label">Allegato (facoltativo, al massimo 10 MB)</label>
            <input type="file" id="file" name="file" className="form-control" />
          </div>
          <SelectField
            name="docType"
            label="Tipo di documento allegato"
            className="col-md-6"
            defaultValue=""
            empty="—"
            options={Object.entries(t.docTypes).map(([value, label]) => ({ value, label }))}
          />
        </div>
        <button type="submit" className="btn btn-primary">Invia risposta</button>
      </Form>
    </>
  );
}
