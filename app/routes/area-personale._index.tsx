import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { profileAction } from "~/applications/applicant-profile.server";
import { applicantHome } from "~/applications/pages.server";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, TextField } from "~/components/form-fields";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Area personale — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return applicantHome(request);
}

export async function action({ request }: ActionFunctionArgs) {
  return profileAction(request);
}

export default function ApplicantHome() {
  const { name, saved, applications, contact, business } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const contactResult = result?.intent === "contatto" ? result : null;
  const businessResult = result?.intent === "impresa" ? result : null;
  const receipts = applications.filter((a) => a.receiptFileId);
  return (
    <>
      <PageTitle lead="Le tue domande online: lo stato di ciascuna, il prossimo passo e le ricevute.">Area personale di {name}</PageTitle>
      {saved ? <div className="alert alert-success" role="status">Bozza salvata: puoi riprenderla quando vuoi da questa pagina.</div> : null}
      <section aria-labelledby="le-mie-domande">
        <h2 id="le-mie-domande" className="h4">Le mie domande</h2>
        {applications.length ? (
          <div className="table-responsive">
            <table className="table">
              <caption className="visually-hidden">Le mie domande</caption>
              <thead>
                <tr><th scope="col">Procedimento</th><th scope="col">Numero</th><th scope="col">Stato</th><th scope="col">Prossimo passo</th><th scope="col">Azioni</th></tr>
              </thead>
              <tbody>
                {applications.map((a) => (
                  <tr key={a.id}>
                    <td>{a.procedure}</td>
                    <td>{a.number ?? "—"}</td>
                    <td>{a.state}</td>
                    <td>{a.next}</td>
                    <td>
                      {a.draft ? <Link to={`/domande/${a.id}`} aria-label={`Riprendi la bozza: ${a.procedure}`}>Riprendi la bozza</Link> : <Link to={`/domande/${a.id}/riepilogo`} aria-label={`Apri la domanda ${a.number}`}>Apri</Link>}
                      {" · "}
                      <Link to={`/assistenza?domanda=${a.id}`} aria-label={`Chiedi assistenza sulla domanda ${a.number ?? a.procedure}`}>Chiedi assistenza</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Non hai ancora presentato domande. Scegli un procedimento dal <Link to="/procedimenti">catalogo dei procedimenti</Link> e usa «Presenta domanda online».</p>
        )}
      </section>
      <section aria-labelledby="le-mie-ricevute">
        <h2 id="le-mie-ricevute" className="h4">Le mie ricevute</h2>
        {receipts.length ? (
          <ul>
            {receipts.map((a) => (
              <li key={a.id}>
                <a href={`/domande/documenti/${a.receiptFileId}`}>Ricevuta della domanda {a.number}</a> (inviata il {formatDateTime(a.submittedAt!)})
              </li>
            ))}
          </ul>
        ) : (
          <p>Nessuna ricevuta: la ricevuta si genera pochi istanti dopo l'invio di una domanda.</p>
        )}
      </section>
      <section aria-labelledby="contatto" className="mb-4">
        <h2 id="contatto" className="h4">Il tuo indirizzo di contatto</h2>
        <p data-testid="contact-status">
          {contact.verified ? (
            <>Le comunicazioni sulle tue domande arrivano a <strong>{contact.email}</strong>, confermato il {formatDateTime(contact.verifiedAt!)}.</>
          ) : (
            <>Nessun indirizzo confermato: scriviamo a <strong>{contact.email || "—"}</strong>, l'indirizzo fornito da SPID o CIE (non verificato).</>
          )}
        </p>
        {contact.pending ? (
          <p className="small" data-testid="contact-pending">In attesa di conferma: {contact.pending.email} (collegamento valido fino al {formatDateTime(contact.pending.expiresAt)}).</p>
        ) : null}
        <FormState result={contactResult}>
          <FormAlert result={contactResult} />
          <Form method="post" className="mt-4">
            <CsrfInput />
            <input type="hidden" name="intent" value="contatto" />
            <TextField name="email" label="Nuovo indirizzo di contatto" type="email" maxLength={254} hint="Ti invieremo un collegamento da aprire entro 24 ore: l'indirizzo vale solo dopo la conferma." />
            <button type="submit" className="btn btn-outline-primary">Invia il collegamento di conferma</button>
          </Form>
        </FormState>
      </section>
      <section aria-labelledby="impresa" className="mb-4">
        <h2 id="impresa" className="h4">Impresa che rappresenti</h2>
        <p data-testid="business-status">
          {business ? <>Presenti le domande come legale rappresentante di <strong>{business.name}</strong> (codice fiscale / partita IVA {business.code}).</> : "Presenti le domande a tuo nome."}
        </p>
        <FormState result={businessResult}>
          <FormAlert result={businessResult} />
          <Form method="post" className="mt-4">
            <CsrfInput />
            <input type="hidden" name="intent" value="impresa" />
            <TextField name="businessName" label="Ragione sociale dell'impresa" maxLength={200} defaultValue={business?.name ?? ""} />
            <TextField name="businessCode" label="Codice fiscale o partita IVA dell'impresa" maxLength={20} defaultValue={business?.code ?? ""} hint="11 cifre; per una ditta individuale il codice fiscale del titolare." />
            <div className="d-flex flex-wrap gap-2">
              <button type="submit" className="btn btn-outline-primary">Dichiaro di essere il legale rappresentante</button>
              {business ? <button type="submit" name="intent" value="impresa-rimuovi" className="btn btn-outline-secondary">Presento a mio nome</button> : null}
            </div>
          </Form>
        </FormState>
        <p className="small mt-2">La dichiarazione compare su ogni domanda e sulla ricevuta; una domanda già inviata conserva l'impresa per cui è stata inviata.</p>
      </section>
      <section aria-labelledby="assistenza">
        <h2 id="assistenza" className="h4">Assistenza</h2>
        <p>
          Per problemi con una domanda leggi le <Link to="/istruzioni">istruzioni</Link> e le <Link to="/istruzioni/domande-frequenti">domande frequenti</Link>, o{" "}
          <Link to="/assistenza">scrivi all'help desk</Link>: le tue richieste sono in <Link to="/assistenza/richieste">Le mie richieste di assistenza</Link>.
        </p>
        <p className="small">Sei operatore di un ente gestore o funzionario? <Link to="/accesso-negato">Come richiedere l'abilitazione</Link>.</p>
      </section>
    </>
  );
}
