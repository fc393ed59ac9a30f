import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PageTitle } from "~/components/layout";
import { SenderActions, TicketMessages, TicketSummary } from "~/components/ticket";
import { followAction, followPage } from "~/helpdesk/pages.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Richiesta ${data?.number ?? "di assistenza"} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return followPage(request, params.token ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  return followAction(request, params.token ?? "");
}

/** The page a follow link opens: one ticket, no account needed. */
export default function FollowTicket() {
  const t = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageTitle lead="Questa pagina si apre solo con il collegamento personale ricevuto per e-mail: non condividerlo.">
        Richiesta {t.number}: {t.subject}
      </PageTitle>
      <TicketSummary t={t} />
      <TicketMessages t={t} attachmentHref={(id) => `/assistenza/segui/${encodeURIComponent(t.token)}/allegati/${id}`} />
      <SenderActions t={t} reopenable={t.reopenable} result={result} csrf={false} />
    </>
  );
}
