import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { CertificateState, CertificateSummary } from "~/auth/certificates.server";
import { requirePermission } from "~/auth/guards.server";
import { identityProviderPageData } from "~/auth/identity-provider-page.server";
import { BackToConfig } from "~/components/admin";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Identità digitale (SPID) — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return identityProviderPageData();
}

const STATE: Record<CertificateState, { label: string; badge: string }> = {
  valid: { label: "Valido", badge: "bg-success" },
  expiring: { label: "In scadenza (meno di 30 giorni)", badge: "bg-warning text-dark" },
  expired: { label: "Scaduto", badge: "bg-danger" },
  not_yet_valid: { label: "Non ancora valido", badge: "bg-danger" },
};

const SOURCE: Record<string, string> = {
  builtin: "Identity provider di prova incorporato (solo sviluppo e dimostrazione)",
  metadata_file: "File di metadati",
  metadata_url: "Metadati scaricati da indirizzo",
  explicit: "Configurazione esplicita (entity ID, indirizzo e certificato)",
};

function CertificatesTable({ caption, certificates }: { caption: string; certificates: CertificateSummary[] }) {
  return (
    // Focusable so keyboard users can scroll it sideways on a phone.
    <div className="table-responsive" tabIndex={0} role="region" aria-label={caption}>
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Soggetto</th>
            <th scope="col">Valido dal</th>
            <th scope="col">Valido fino al</th>
            <th scope="col">Stato</th>
            <th scope="col">Impronta SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {certificates.map((c) => (
            <tr key={c.fingerprint256}>
              <td>
                {c.subject}
                {c.issuer !== c.subject ? <div className="small text-muted">Emesso da {c.issuer}</div> : null}
              </td>
              <td>{formatDateTime(c.validFrom)}</td>
              <td>{formatDateTime(c.validTo)}</td>
              <td>
                <span className={`badge ${STATE[c.state].badge}`}>{STATE[c.state].label}</span>
              </td>
              <td>
                <code className="text-break small">{c.fingerprint256}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function IdentityProviderAdmin() {
  const { idp, sp } = useLoaderData<typeof loader>();
  const unusable = idp.certificates.filter((c) => c.state === "expired" || c.state === "not_yet_valid").length;
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Il servizio di identità digitale da cui la piattaforma accetta gli accessi e i certificati con cui firma le risposte. Le risposte firmate con un certificato scaduto o non ancora valido sono rifiutate.">
        Identità digitale (SPID)
      </PageTitle>
      {unusable > 0 ? (
        <div className="alert alert-danger" role="alert">
          {unusable === idp.certificates.length
            ? "Nessun certificato dell'identity provider è valido oggi: nessuno può accedere finché non si aggiornano i metadati."
            : "Uno o più certificati dell'identity provider sono scaduti o non ancora validi: le risposte firmate con quei certificati sono rifiutate."}
        </div>
      ) : null}

      <h2 className="h4 mt-4">Identity provider in uso</h2>
      <dl className="row">
        <dt className="col-sm-3">Entity ID</dt>
        <dd className="col-sm-9 text-break">{idp.entityId}</dd>
        <dt className="col-sm-3">Indirizzo di accesso (HTTP-Redirect)</dt>
        <dd className="col-sm-9 text-break">{idp.ssoUrl}</dd>
        <dt className="col-sm-3">Origine</dt>
        <dd className="col-sm-9 text-break">
          {SOURCE[idp.source.kind]}
          {"location" in idp.source ? <div className="small text-muted">{idp.source.location}</div> : null}
        </dd>
      </dl>
      <CertificatesTable caption={`Certificati di firma dell'identity provider (${idp.certificates.length})`} certificates={idp.certificates} />
      {idp.metadataXml ? (
        <details className="mb-4">
          <summary>Metadati dell'identity provider (XML)</summary>
          <pre className="border p-2 small" style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
            {idp.metadataXml}
          </pre>
        </details>
      ) : null}

      <h2 className="h4 mt-4">Questo service provider</h2>
      <dl className="row">
        <dt className="col-sm-3">Entity ID</dt>
        <dd className="col-sm-9 text-break">{sp.entityId}</dd>
        <dt className="col-sm-3">Metadati</dt>
        <dd className="col-sm-9">
          <a href="/auth/saml/metadata">Scarica i metadati del service provider</a>
        </dd>
        <dt className="col-sm-3">Codice IPA</dt>
        <dd className="col-sm-9">{sp.ipaCode ?? "Non impostato (ORGANIZATION_IPA_CODE): i metadati non riportano le estensioni per le pubbliche amministrazioni"}</dd>
      </dl>
      <CertificatesTable caption="Certificato di firma del service provider" certificates={[sp.certificate]} />
      <h3 className="h5">Regole AgID per i certificati dei service provider pubblici</h3>
      {sp.agidProblems.length === 0 ? (
        <p>Il certificato rispetta le regole AgID.</p>
      ) : (
        <>
          <p>
            {sp.production
              ? "Il certificato non rispetta le regole AgID:"
              : "Il certificato in uso non rispetta le regole AgID (in produzione la piattaforma non si avvia con un certificato così):"}
          </p>
          <ul>
            {sp.agidProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
