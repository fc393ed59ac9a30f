import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { brandingAdminData, handleBrandingAction } from "~/admin/config-pages.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig, VersionInput } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, TextArea, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Aspetto del portale — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return brandingAdminData();
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleBrandingAction(request, signedIn, await requireForm(request, signedIn));
}

export default function BrandingPage() {
  const b = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Quello che i visitatori vedono in testata, nella home e a piè di pagina.">Aspetto del portale</PageTitle>
      <FormAlert result={result} />
      <FormState result={result}>
        <Form method="post" className="mt-4" key={b.version}>
          <CsrfInput />
          <VersionInput version={b.version} />
          <TextField name="bodyName" label="Nome dell'ente" required defaultValue={b.bodyName} maxLength={200} />
          <TextField name="logoUrl" label="Logo" defaultValue={b.logoUrl} hint="Indirizzo dell'immagine (https://… o percorso come /logo.svg); vuoto per nessun logo." />
          <TextArea name="banner" label="Avviso in testata" defaultValue={b.banner} rows={2} hint="Mostrato in cima a ogni pagina, ad esempio per una manutenzione programmata; vuoto per nessun avviso." />
          <TextArea name="quickLinks" label="Collegamenti rapidi" defaultValue={b.quickLinks} rows={4} mono hint="Mostrati nella home. Uno per riga: «Etichetta | https://indirizzo» o «Etichetta | /percorso»." />
          <TextField name="contactEmail" label="E-mail di contatto" type="email" required defaultValue={b.contactEmail} />
          <TextField
            name="accessibilityUrl"
            label="Dichiarazione di accessibilità"
            defaultValue={b.accessibilityUrl}
            hint="Indirizzo della dichiarazione pubblicata su AGID; vuoto per usare la pagina /accessibilita del portale."
          />
          <button type="submit" className="btn btn-primary">
            Salva
          </button>
        </Form>
      </FormState>
    </>
  );
}
