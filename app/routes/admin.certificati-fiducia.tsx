import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, TextArea } from "~/components/form-fields";
import { formatDate, formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { trustedCertificateAction, trustedCertificatesPage } from "~/signatures/signatures.server";

export const meta: MetaFunction = () => [{ title: "Certificati di fiducia — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return trustedCertificatesPage();
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return trustedCertificateAction(request, signedIn);
}

export default function TrustedCertificates() {
  const { certificates, crls } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="L'elenco di fiducia nazionale non è raggiungibile dai server: senza certificati qui, i documenti firmati risultano «firma integra; certificato non verificato con l'elenco di fiducia». Aggiungendo il certificato di un'autorità di certificazione, le firme dei certificati che ha emesso risultano «verificate».">
        Certificati di fiducia
      </PageTitle>
      <FormState result={result}>
        <FormAlert result={result} />
        {certificates.length === 0 ? (
          <p>Nessun certificato di fiducia caricato.</p>
        ) : (
          <div className="table-responsive">
            <table className="table">
              <caption>Autorità di certificazione di fiducia ({certificates.length})</caption>
              <thead>
                <tr><th scope="col">Autorità</th><th scope="col">Valido fino al</th><th scope="col">Impronta SHA-256</th><th scope="col">Azioni</th></tr>
              </thead>
              <tbody>
                {certificates.map((c) => (
                  <tr key={c.id}>
                    <td style={{ overflowWrap: "anywhere" }}>{c.subject}</td>
                    <td>{formatDate(c.notAfter.slice(0, 10))}</td>
                    <td><code>{c.sha256.slice(0, 16)}…</code></td>
                    <td>
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="id" value={c.id} />
                        <button type="submit" name="intent" value="remove" className="btn btn-outline-danger btn-xs" aria-label={`Rimuovi ${c.subject}`}>
                          Rimuovi
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Form method="post" className="mb-5">
          <CsrfInput />
          <h2 className="h4 mb-4">Aggiungi un certificato</h2>
          <TextArea name="certificate" label="Certificato dell'autorità (PEM)" hint="Da -----BEGIN CERTIFICATE----- a -----END CERTIFICATE-----." rows={8} mono />
          <button type="submit" className="btn btn-primary">Aggiungi</button>
        </Form>
        <h2 className="h4 mb-3">Elenchi di revoca (CRL)</h2>
        <p>
          I server non raggiungono i punti di distribuzione delle autorità: per sapere se il certificato di un firmatario è stato revocato, caricare qui
          l&apos;elenco di revoca aggiornato dell&apos;autorità. Senza un elenco valido la pagina del documento dice «revoca non verificabile».
        </p>
        {crls.length ? (
          <div className="table-responsive">
            <table className="table">
              <caption>Elenchi di revoca caricati ({crls.length})</caption>
              <thead>
                <tr><th scope="col">Autorità</th><th scope="col">Emesso il</th><th scope="col">Prossimo aggiornamento</th></tr>
              </thead>
              <tbody>
                {crls.map((c) => (
                  <tr key={c.id}>
                    <td style={{ overflowWrap: "anywhere" }}>{c.issuer}</td>
                    <td>{formatDateTime(c.thisUpdate)}</td>
                    <td>{c.nextUpdate ? formatDateTime(c.nextUpdate) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Nessun elenco di revoca caricato.</p>
        )}
        <Form method="post" className="mb-4 pt-3">
          <CsrfInput />
          <TextArea name="crl" label="Elenco di revoca (PEM)" hint="Da -----BEGIN X509 CRL----- (o -----BEGIN CRL-----) alla riga di chiusura." rows={8} mono />
          <button type="submit" name="intent" value="crl" className="btn btn-primary">Carica l&apos;elenco di revoca</button>
        </Form>
      </FormState>
    </>
  );
}
