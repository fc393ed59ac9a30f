import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, SelectField, TextArea, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { AttachmentField, CategoryField } from "~/components/ticket";
import { newTicketAction, newTicketPage } from "~/helpdesk/pages.server";

export const meta: MetaFunction = () => [{ title: "Assistenza — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return newTicketPage(request);
}

export async function action({ request }: ActionFunctionArgs) {
  return newTicketAction(request);
}

export default function NewTicket() {
  const { sender, about, applications, domanda } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Un problema tecnico, un dubbio su come fare un'operazione o una questione giuridica: scrivi all'help desk. Riceverai un'e-mail con il numero della richiesta.">
        Assistenza
      </PageTitle>
      {sender ? (
        <p>
          Le richieste che hai già inviato sono in <Link to="/assistenza/richieste">Le mie richieste di assistenza</Link>.
        </p>
      ) : null}
      <FormState result={result}>
        <FormAlert result={result} />
        {result?.ok ? null : (
          <Form method="post" encType="multipart/form-data" className="mb-4">
            {sender ? <CsrfInput /> : null}
            {sender ? (
              <p data-testid="sender">
                Scrivi come <strong>{sender.name}</strong> ({sender.email}).
              </p>
            ) : (
              <div className="row">
                <TextField name="name" label="Nome e cognome" required maxLength={120} className="col-md-6" />
                <TextField name="email" label="E-mail" type="email" required maxLength={200} className="col-md-6" />
              </div>
            )}
            {about ? (
              <p>
                <input type="hidden" name={about.kind} value={about.value} />
                Riguarda {about.kind === "pratica" ? <Link to={`/pratiche/${about.value}`}>la pratica</Link> : <Link to={`/caricamenti/${about.value}`}>il caricamento</Link>}.
              </p>
            ) : null}
            {applications.length ? (
              <SelectField
                name="domanda"
                label="Riguarda la domanda (facoltativo)"
                defaultValue={domanda}
                empty="Nessuna domanda in particolare"
                options={applications}
              />
            ) : null}
            <CategoryField />
            <TextField name="subject" label="Oggetto" required maxLength={200} />
            <TextArea name="body" label="Descrivi la richiesta" rows={6} required />
            <AttachmentField />
            <button type="submit" className="btn btn-primary">Invia la richiesta</button>
          </Form>
        )}
      </FormState>
    </>
  );
}
