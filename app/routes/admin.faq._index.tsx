import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { FAQ_STATUS_LABELS, FaqForm } from "~/components/faq";
import { FormAlert, FormState } from "~/components/form-fields";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { faqAdminPage, faqSaveAction } from "~/faq/faq.server";

export const meta: MetaFunction = () => [{ title: "Domande frequenti — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return { entries: await faqAdminPage() };
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return faqSaveAction(request, signedIn, null);
}

export default function FaqAdmin() {
  const { entries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Le risposte alle domande più frequenti, pubblicate nelle istruzioni dell'area pubblica e trovate dalla ricerca del catalogo. Gli operatori dell'help desk propongono come bozza le risposte date alle richieste: rivederle e togliere ogni dato personale prima di pubblicarle.">
        Domande frequenti
      </PageTitle>
      {entries.length === 0 ? (
        <p>Nessuna domanda frequente.</p>
      ) : (
        <div className="table-responsive">
          <table className="table">
            <caption>Domande frequenti ({entries.length})</caption>
            <thead>
              <tr><th scope="col">Domanda</th><th scope="col">Stato</th><th scope="col">Categoria</th><th scope="col">Origine</th><th scope="col">Ultima modifica</th></tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td style={{ overflowWrap: "anywhere" }}><Link to={`/admin/faq/${e.id}`}>{e.question}</Link></td>
                  <td>{FAQ_STATUS_LABELS[e.status]}</td>
                  <td>{e.category ?? "—"}</td>
                  <td>{e.ticketNumber ? `proposta dalla richiesta ${e.ticketNumber}` : "scritta dall'amministrazione"}</td>
                  <td>{formatDateTime(e.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormState result={result}>
        <h2 className="h4 mb-4">Nuova domanda frequente</h2>
        <FormAlert result={result} />
        <FaqForm />
      </FormState>
    </>
  );
}
