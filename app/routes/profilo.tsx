import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireForm, requireUser } from "~/auth/guards.server";
import { profilesOf, switchProfile } from "~/auth/profile.server";
import { CsrfInput } from "~/components/csrf-input";
import { PageTitle } from "~/components/layout";
import { safeRedirectPath } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Scegli il profilo — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await requireUser(request);
  return {
    current: signedIn.actor.accessId,
    redirectTo: safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")),
    accesses: await profilesOf(signedIn),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requireUser(request);
  const to = await switchProfile(request, signedIn, await requireForm(request, signedIn));
  return redirect(safeRedirectPath(to));
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
