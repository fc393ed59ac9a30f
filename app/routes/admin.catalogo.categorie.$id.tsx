import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { categoryEditData, handleCategoryAction } from "~/admin/config-pages.server";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig, VersionInput } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, SelectField, TextArea, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Categoria — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return categoryEditData(params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleCategoryAction(request, signedIn, params.id ?? "", await requireForm(request, signedIn));
}

export default function CategoryEdit() {
  const { category, categories } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig to="/admin/catalogo" label="Catalogo dei procedimenti" />
      <PageTitle>Categoria «{category.title}»</PageTitle>
      <FormAlert result={result} />
      <FormState result={result}>
        <Form method="post" className="mt-4" key={category.version}>
          <CsrfInput />
          <VersionInput version={category.version} />
          <TextField name="title" label="Titolo" required defaultValue={category.title} maxLength={200} />
          <TextArea name="description" label="Descrizione" defaultValue={category.description} rows={3} />
          <SelectField
            name="parentId"
            label="Dentro la categoria"
            empty="Nessuna (primo livello)"
            defaultValue={category.parentId}
            options={categories.map((c) => ({ value: c.id, label: `${"— ".repeat(c.depth)}${c.title}` }))}
          />
          <button type="submit" className="btn btn-primary">
            Salva
          </button>
        </Form>
      </FormState>
      <Form method="post" className="mt-4">
        <CsrfInput />
        <VersionInput version={category.version} />
        <input type="hidden" name="intent" value="delete" />
        <button type="submit" className="btn btn-outline-danger">
          Elimina la categoria (solo se vuota)
        </button>
      </Form>
    </>
  );
}
