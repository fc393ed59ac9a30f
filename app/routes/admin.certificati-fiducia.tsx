import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, TextArea } from "~/components/form-fields";
import { formatDate } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { trustedCertificateAction, trustedCertificatesPage } from "~/signatures/signatures.server";

export const meta: MetaFunction = () => [{ title: "Certificati di fiducia — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return { certificates: await trustedCertificatesPage() };
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return trustedCertificateAction(request, signedIn);
}

export default function TrustedCertificates() {
  const { certificates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="L'elenco di fiducia nazionale non è raggiungibile dai server: senza certificati qui, i documenti firmati risultano «firma integra; certificato non verificato con l'elenco di fiducia». Aggiungendo il certificato di un'autorità di certificazione, le firme dei certificati che ha emesso risultano «verificate».">
        Certificati di fiducia
      </PageTitle>
      {certificates.length === 0 ? (
        <p>Nessun certificato di fiducia caricato.</p>
      ) : (
        <div className="table-responsive">
          <table className="table">
            <caption>Autorità di certificazione di fiducia ({certificates.length})</caption>
            <thead>
              <tr><th scope="col">Autorità</th><th scope="col">Valido fino al</th><th scope="col">Impronta SHA-256</th></tr>
            </thead>
            <tbody>
              {certificates.map((c) => (
                <tr key={c.id}>
                  <td style={{ overflowWrap: "anywhere" }}>{c.subject}</td>
                  <td>{formatDate(c.notAfter.slice(0, 10))}</td>
                  <td><code>{c.sha256.slice(0, 16)}…</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormState result={result}>
        <FormAlert result={result} />
        <Form method="post" className="mb-4">
          <CsrfInput />
          <h2 className="h4 mb-4">Aggiungi un certificato</h2>
          <TextArea name="certificate" label="Certificato dell'autorità (PEM, da -----BEGIN CERTIFICATE----- a -----END CERTIFICATE-----)" rows={8} mono />
          <button type="submit" className="btn btn-primary">Aggiungi</button>
        </Form>
      </FormState>
    </>
  );
}
