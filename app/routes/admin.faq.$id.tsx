import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { FAQ_STATUS_LABELS, FaqForm } from "~/components/faq";
import { FormAlert, FormState } from "~/components/form-fields";
import { formatDateTime } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { faqEditPage, faqSaveAction } from "~/faq/faq.server";

export const meta: MetaFunction = () => [{ title: "Domanda frequente — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return faqEditPage(request, signedIn, params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return faqSaveAction(request, signedIn, params.id ?? "");
}

export default function FaqEdit() {
  const e = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig to="/admin/faq" label="Domande frequenti" />
      <PageTitle
        lead={`${FAQ_STATUS_LABELS[e.status]}${e.publishedAt ? ` dal ${formatDateTime(e.publishedAt)}` : ""}${e.ticketNumber ? ` — proposta da un operatore dalla richiesta ${e.ticketNumber}` : ""}.`}
      >
        {e.question}
      </PageTitle>
      <FormState result={result}>
        <FormAlert result={result} />
        <FaqForm key={`${e.status}-${e.question}`} entry={e} />
      </FormState>
    </>
  );
}
