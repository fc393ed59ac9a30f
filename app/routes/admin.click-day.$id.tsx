import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { clickDayAdminPage, clickDaySaveAction } from "~/applications/clickday-admin.server";
import { requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { ClickDayForm } from "~/components/click-day-form";
import { FormAlert, FormState } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Modifica click day — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return clickDayAdminPage(params.id!);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return clickDaySaveAction(request, signedIn, params.id!);
}

export default function ClickDayEdit() {
  const { day, procedures, models } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig to="/admin/click-day" label="Click day" />
      <PageTitle lead={day!.open ? "Il click day è già aperto: non si può più modificare." : "Si può modificare fino all'apertura."}>{day!.label}</PageTitle>
      <FormState result={result}>
        <FormAlert result={result} />
        {day!.open ? null : <ClickDayForm day={day} procedures={procedures} models={models} />}
      </FormState>
    </>
  );
}
