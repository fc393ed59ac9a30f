import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { sendAction, sendPage } from "~/applications/pages.server";
import { CsrfInput } from "~/components/csrf-input";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Verifica e invio della domanda — Monitoraggio pratiche" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const data = await sendPage(request, params.id ?? "");
  if (data.state !== "bozza") throw redirect(`/domande/${data.id}/riepilogo`);
  return data;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const result = await sendAction(request, params.id ?? "");
  return result.ok ? redirect(`/domande/${params.id}/riepilogo?inviata=1`) : result;
}

export default function SendApplication() {
  const { id, procedure, missing, pages } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sending = useNavigation().state === "submitting";
  return (
    <>
      <PageTitle lead={procedure}>Verifica e invio della domanda</PageTitle>
      {result && !result.ok ? <div className="alert alert-danger" role="alert">{result.error}</div> : null}
      {missing.length ? (
        <div className="alert alert-warning" data-testid="missing">
          <p className="mb-1">Prima di inviare completa le risposte mancanti:</p>
          <ul className="mb-0">
            {missing.map((m) => (
              <li key={m.key}><Link to={`/domande/${id}?pagina=${m.page}#${m.key}`}>{m.label}</Link></li>
            ))}
          </ul>
        </div>
      ) : (
        <div className="alert alert-success" role="status">La domanda è completa: controlla le risposte e inviala.</div>
      )}
      {pages.map((p) => (
        <section key={p.key} aria-labelledby={`sez-${p.key}`} className="mb-4">
          <h2 id={`sez-${p.key}`} className="h5">{p.title} <Link to={`/domande/${id}?pagina=${p.key}`} className="small ms-2" aria-label={`Modifica: ${p.title}`}>Modifica</Link></h2>
          {p.answers.length ? (
            <dl className="row">
              {p.answers.map((a) => (
                <div key={a.label} className="contents">
                  <dt className="col-sm-5">{a.label}</dt>
                  <dd className="col-sm-7" style={{ overflowWrap: "anywhere" }}>{a.value}</dd>
                </div>
              ))}
            </dl>
          ) : <p>Nessuna risposta.</p>}
        </section>
      ))}
      <Form method="post">
        <CsrfInput />
        <button type="submit" className="btn btn-primary" disabled={missing.length > 0 || sending}>Invia la domanda</button>
      </Form>
    </>
  );
}
