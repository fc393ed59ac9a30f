import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { handleProcedureAction, procedureEditData } from "~/admin/config-pages.server";
import { PROCEDURE_STATUS_LABELS as STATUS_LABELS } from "~/components/labels";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig, VersionInput } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, SelectField, TextArea, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.procedure?.title ?? "Nuovo procedimento"} — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return procedureEditData(params.id ?? "", new URL(request.url));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleProcedureAction(request, signedIn, params.id ?? "", await requireForm(request, signedIn));
}

export default function ProcedureEdit() {
  const { procedure: p, options, defaultCategory } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const shown = result ?? (search.get("salvato") ? { ok: true as const, message: "Procedimento creato." } : null);
  return (
    <>
      <BackToConfig to="/admin/catalogo" label="Catalogo dei procedimenti" />
      <PageTitle lead={p ? `Stato: ${STATUS_LABELS[p.status]}` : undefined}>{p ? p.title : "Nuovo procedimento"}</PageTitle>
      {p?.status === "published" ? (
        <p>
          <Link to={`/procedimenti/${p.id}`}>Vedi la pagina pubblica</Link>
        </p>
      ) : null}
      {p ? (
        <p>
          <Link to={`/admin/procedimenti/${p.id}/modulo`}>Modulo della domanda online</Link> · <Link to={`/admin/procedimenti/${p.id}/instradamento`}>Uffici competenti</Link>
        </p>
      ) : null}
      <FormAlert result={shown} />
      <FormState result={result}>
        <Form method="post" className="mt-4" key={p?.version ?? 0} noValidate>
          <CsrfInput />
          {p ? <VersionInput version={p.version} /> : null}
          <TextField name="title" label="Titolo" required defaultValue={p?.title} maxLength={200} />
          <SelectField name="categoryId" label="Categoria" required empty="Scegli una categoria" defaultValue={defaultCategory} options={options.categories} />
          <TextArea name="description" label="Descrizione" defaultValue={p?.description} rows={5} />
          <div className="row">
            <SelectField className="col-md-6" name="orgUnitId" label="Ufficio competente" empty="Non indicato" defaultValue={p?.orgUnitId} options={options.units} />
            <SelectField
              className="col-md-6"
              name="responsiblePositionId"
              label="Responsabile"
              empty="Non indicato"
              defaultValue={p?.responsiblePositionId}
              options={options.positions}
            />
          </div>
          <TextField name="maxDurationDays" label="Durata massima (giorni)" inputMode="numeric" defaultValue={p?.maxDurationDays} hint="Numero di giorni entro cui il procedimento si conclude." />
          <TextArea name="howToApply" label="Come presentare la domanda" defaultValue={p?.howToApply} rows={4} />
          <TextArea name="requiredDocuments" label="Documenti richiesti" defaultValue={p?.requiredDocuments} rows={4} />
          <TextArea name="costs" label="Costi" defaultValue={p?.costs} rows={2} />
          <TextArea name="links" label="Collegamenti" defaultValue={p?.links} rows={3} mono hint="Uno per riga, nella forma «Etichetta | https://indirizzo»." />
          <SelectField
            name="status"
            label="Stato"
            defaultValue={p?.status ?? "draft"}
            options={[
              { value: "draft", label: "Bozza (non visibile al pubblico)" },
              { value: "published", label: "Pubblicato" },
            ]}
          />
          <button type="submit" className="btn btn-primary">
            {p ? "Salva" : "Crea il procedimento"}
          </button>
        </Form>
      </FormState>
    </>
  );
}
