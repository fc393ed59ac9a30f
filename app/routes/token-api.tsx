import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { handleTokenAction, tokensPageData } from "~/auth/api-token-page.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { ConfirmAction } from "~/components/confirm-action";
import { CsrfInput } from "~/components/csrf-input";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Token API — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "tokens.manage");
  return tokensPageData(signedIn);
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "tokens.manage");
  return handleTokenAction(request, signedIn, await requireForm(request, signedIn));
}

const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString("it-IT", { timeZone: "Europe/Rome" }) : "—");

export default function ApiTokens() {
  const { tokens, revokeOnly } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Il software gestionale dell'ente usa un token per inviare i flussi tramite l'API. Il token è mostrato una sola volta: conservalo in modo sicuro.">
        Token API
      </PageTitle>
      {result && "token" in result && result.token ? (
        <div className="alert alert-success" role="status">
          <p className="mb-1">Token creato. Copialo ora: non sarà più visibile.</p>
          <div className="d-flex flex-wrap align-items-center gap-2">
            <p className="token-once mb-0" data-testid="new-token">{result.token}</p>
            <CopyButton text={result.token} />
          </div>
        </div>
      ) : null}
      {result && "message" in result ? <div className="alert alert-success" role="status">{result.message}</div> : null}
      {result && !result.ok ? <div className="alert alert-danger" role="alert">{result.error}</div> : null}
      {revokeOnly ? (
        <p className="alert alert-info">
          Un token si crea solo dal suo titolare, l'operatore dell'ente gestore, dopo l'accesso con la propria identità digitale.
          Da qui l'amministratore può revocare qualsiasi token.
        </p>
      ) : (
        <Form method="post" className="row g-3 mb-4">
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <div className="col-md-6">
            <label htmlFor="label" className="form-label">Descrizione (facoltativa)</label>
            <input type="text" id="label" name="label" className="form-control" maxLength={100} placeholder="es. gestionale sede centrale" />
          </div>
          <div className="col-md-2 d-flex align-items-end">
            <button type="submit" className="btn btn-primary">Crea token</button>
          </div>
        </Form>
      )}
      <div className="table-responsive">
        <table className="table">
          <caption>Token rilasciati</caption>
          <thead>
            <tr>
              <th scope="col">Inizio del token</th>
              <th scope="col">Descrizione</th>
              <th scope="col">Titolare</th>
              <th scope="col">Ente</th>
              <th scope="col">Creato</th>
              <th scope="col">Ultimo uso</th>
              <th scope="col">Stato</th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 ? (
              <tr>
                <td colSpan={7} data-testid="empty">
                  Nessun token rilasciato. Un token serve al software gestionale per inviare i flussi senza passare da questa pagina.
                </td>
              </tr>
            ) : null}
            {tokens.map((t) => (
              <tr key={t.id}>
                <td className="token-once">{t.tokenPrefix}…</td>
                <td>{t.label || "—"}</td>
                <td>{t.ownerName} {t.ownerSurname}</td>
                <td>{t.gestoreName}</td>
                <td>{fmt(t.createdAt)}</td>
                <td>{fmt(t.lastUsedAt)}</td>
                <td>
                  {t.revokedAt ? (
                    `Revocato il ${fmt(t.revokedAt)}`
                  ) : (
                    <ConfirmAction
                      id={`revoca-${t.id}`}
                      trigger="Revoca"
                      triggerLabel={`Revoca il token ${t.tokenPrefix}`}
                      title="Revocare il token?"
                      question={`Revocare il token ${t.tokenPrefix}…${t.label ? ` (${t.label})` : ""}? Il software che lo usa non potrà più inviare flussi.`}
                      confirmLabel="Revoca il token"
                      hidden={{ intent: "revoke", tokenId: String(t.id) }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Copies the new token; the token stays selectable for browsers without the clipboard API. */
function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn btn-outline-primary btn-sm"
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(() => setCopied(true));
        }}
      >
        Copia il token
      </button>
      <span role="status" className="small">
        {copied ? "Token copiato negli appunti." : ""}
      </span>
    </>
  );
}
