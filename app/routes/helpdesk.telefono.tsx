import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, TextArea, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";
import { CategoryField } from "~/components/ticket";
import { phoneTicketAction } from "~/helpdesk/pages.server";

export const meta: MetaFunction = () => [{ title: "Chiamata al Numero Verde — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "helpdesk.work");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "helpdesk.work");
  return phoneTicketAction(request, signedIn);
}

export default function PhoneTicket() {
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Una richiesta ricevuta per telefono: i dati di chi chiama e il testo. Se indichi l'e-mail, riceverà il numero e il collegamento per seguire la richiesta.">
        Chiamata al Numero Verde
      </PageTitle>
      <FormState result={result}>
        <FormAlert result={result} />
        {result?.ok ? (
          <p><Link to="/helpdesk">Torna all'elenco delle richieste</Link></p>
        ) : (
          <Form method="post" className="mb-4">
            <CsrfInput />
            <div className="row">
              <TextField name="name" label="Nome e cognome di chi chiama" required maxLength={120} className="col-md-6" />
              <TextField name="phone" label="Telefono" type="tel" required maxLength={30} className="col-md-6" />
            </div>
            <TextField name="email" label="E-mail (facoltativa)" type="email" maxLength={200} />
            <CategoryField />
            <TextField name="subject" label="Oggetto" required maxLength={200} />
            <TextArea name="body" label="Che cosa chiede" rows={6} required />
            <button type="submit" className="btn btn-primary">Registra la richiesta</button>
          </Form>
        )}
      </FormState>
    </>
  );
}
