import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { requireForm, requireUser } from "~/auth/guards.server";
import { ROLE_LABELS } from "~/auth/permissions";
import { setSessionAccess } from "~/auth/session.server";
import { CsrfInput } from "~/components/csrf-input";
import { PageTitle } from "~/components/layout";
import { clientIp, safeRedirectPath } from "~/lib/request.server";
import { getDb } from "~db/client";
import { activeAccessesOf } from "~db/queries/users";

export const meta: MetaFunction = () => [{ title: "Scegli il profilo — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireUser(request);
  const rows = await activeAccessesOf(getDb(), actor.userId);
  return {
    current: actor.accessId,
    redirectTo: safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")),
    accesses: rows.map((r) => ({
      id: r.access.id,
      roleLabel: ROLE_LABELS[r.access.role],
      scope: r.gestoreName ?? r.orgUnitName ?? null,
    })),
  };
}

const choice = z.object({ accessId: z.uuid(), redirectTo: z.string().optional() });

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requireUser(request);
  const parsed = choice.safeParse(Object.fromEntries(await requireForm(request, signedIn)));
  if (!parsed.success) throw new Response("Profilo non valido.", { status: 400 });
  const db = getDb();
  const mine = await activeAccessesOf(db, signedIn.actor.userId);
  const chosen = mine.find((r) => r.access.id === parsed.data.accessId);
  if (!chosen) throw new Response("Profilo non disponibile.", { status: 403 });
  await db.transaction(async (tx) => {
    await setSessionAccess(tx, signedIn.session.idHash, chosen.access.id);
    await audit(tx, { actor: { ...signedIn.actor, role: chosen.access.role }, ip: clientIp(request) }, {
      action: "auth.switch_profile",
      objectType: "access",
      objectId: chosen.access.id,
    });
  });
  return redirect(safeRedirectPath(parsed.data.redirectTo));
}

export default function ChooseProfile() {
  const { accesses, current, redirectTo } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead="Sei abilitato con più profili: scegli con quale operare.">Scegli il profilo</PageTitle>
      <ul className="list-group">
        {accesses.map((a) => (
          <li key={a.id} className="list-group-item d-flex justify-content-between align-items-center">
            <span>
              {a.roleLabel}
              {a.scope ? ` — ${a.scope}` : ""}
              {a.id === current ? " (attuale)" : ""}
            </span>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="accessId" value={a.id} />
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <button type="submit" className="btn btn-primary btn-sm">Usa questo profilo</button>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}
