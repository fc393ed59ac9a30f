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
          <TextField name="logoUrl" label="Indirizzo del logo" defaultValue={b.logoUrl} hint="Impostato da «Carica il logo» qui sotto; in alternativa l'indirizzo di un'immagine (https://… o /percorso). Vuoto per nessun logo." />
          <TextArea name="banner" label="Avviso in testata" defaultValue={b.banner} rows={2} hint="Mostrato in cima a ogni pagina, ad esempio per una manutenzione programmata; vuoto per nessun avviso." />
          <TextArea name="quickLinks" label="Collegamenti rapidi" defaultValue={b.quickLinks} rows={4} mono hint="Mostrati nella home. Uno per riga: «Etichetta | https://indirizzo» o «Etichetta | /percorso»." />
          <TextField name="contactEmail" label="E-mail di contatto" type="email" required defaultValue={b.contactEmail} />
          <TextField
            name="accessibilityUrl"
            label="Dichiarazione di accessibilità"
            defaultValue={b.accessibilityUrl}
            hint="Indirizzo della dichiarazione pubblicata su AGID; vuoto per usare la pagina /accessibilita del portale."
          />
          <button type="submit" name="intent" value="save" className="btn btn-primary">
            Salva
          </button>
        </Form>
      </FormState>
      <section className="mt-5" aria-labelledby="logo-title">
        <h2 id="logo-title" className="h4">
          Logo dell'ente
        </h2>
        {b.logoUrl ? (
          <p>
            Logo attuale: <img src={b.logoUrl} alt="Logo attuale dell'ente" className="ms-2 border p-1" style={{ maxHeight: 64, maxWidth: 200 }} />
          </p>
        ) : (
          <p>Nessun logo: la testata mostra solo il nome dell'ente.</p>
        )}
        <Form method="post" encType="multipart/form-data" className="mt-3">
          <CsrfInput />
          <div className="mb-3">
            <label htmlFor="logo" className="form-label">
              File del logo
            </label>
            <input id="logo" name="logo" type="file" accept="image/png,image/jpeg,image/svg+xml" className="form-control" aria-describedby="logo-hint" />
            <small id="logo-hint" className="form-text">
              PNG, JPEG o SVG senza script, al massimo 512 KB. Meglio un'immagine alta almeno 96 pixel, su sfondo trasparente.
            </small>
          </div>
          <button type="submit" name="intent" value="logo" className="btn btn-primary me-2 mb-2">
            Carica il logo
          </button>
          {b.logoUrl ? (
            <button type="submit" name="intent" value="remove-logo" className="btn btn-outline-primary mb-2" formEncType="application/x-www-form-urlencoded">
              Rimuovi il logo
            </button>
          ) : null}
        </Form>
      </section>
    </>
  );
}
