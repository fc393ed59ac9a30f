import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireForm, requireUser } from "~/auth/guards.server";
import { outcomeMailOf, profilesOf, setOutcomeMail, switchProfile } from "~/auth/profile.server";
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
    outcomeMail: await outcomeMailOf(signedIn),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requireUser(request);
  const form = await requireForm(request, signedIn);
  if (form.get("intent") === "outcome-mail") return { message: await setOutcomeMail(request, signedIn, form) };
  const to = await switchProfile(request, signedIn, form);
  return redirect(safeRedirectPath(to));
}

export default function ChooseProfile() {
  const { accesses, current, redirectTo, outcomeMail } = useLoaderData<typeof loader>();
  const saved = useActionData<typeof action>();
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
      <h2 className="h4 mt-5">Notifiche</h2>
      {saved && "message" in saved ? (
        <div className="alert alert-success" role="status">
          {saved.message}
        </div>
      ) : null}
      <Form method="post" className="mb-4">
        <CsrfInput />
        <input type="hidden" name="intent" value="outcome-mail" />
        <div className="form-check">
          <input id="outcomeMail" name="outcomeMail" type="checkbox" defaultChecked={outcomeMail} />
          <label htmlFor="outcomeMail">Ricevi per e-mail l'esito di ogni file che invii (sito, API o SFTP)</label>
        </div>
        <button type="submit" className="btn btn-outline-primary btn-sm mt-2">Salva la scelta</button>
      </Form>
    </>
  );
}
