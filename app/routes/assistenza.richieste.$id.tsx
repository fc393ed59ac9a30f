import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { PageTitle } from "~/components/layout";
import { SenderActions, TicketMessages, TicketSummary } from "~/components/ticket";
import { ownTicketAction, ownTicketPage } from "~/helpdesk/pages.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Richiesta ${data?.number ?? "di assistenza"} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requirePermission(request, "helpdesk.ask");
  return ownTicketPage(request, signedIn, params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "helpdesk.ask");
  return ownTicketAction(request, signedIn, params.id ?? "");
}

export default function OwnTicket() {
  const t = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle>Richiesta {t.number}: {t.subject}</PageTitle>
      <TicketSummary t={t} />
      <TicketMessages t={t} attachmentHref={(id) => `/assistenza/richieste/${t.id}/allegati/${id}`} />
      <SenderActions t={t} reopenable={t.reopenable} result={result} csrf />
    </>
  );
}
