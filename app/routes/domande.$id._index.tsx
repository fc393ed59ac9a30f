import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { wizardAction, wizardPage } from "~/applications/pages.server";
import { ErrorSummary, FormComponents, WizardSteps } from "~/components/application-form";
import { CsrfInput } from "~/components/csrf-input";
import { PageTitle } from "~/components/layout";
import { fieldLabel } from "~/forms/definition";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.procedure ?? "Domanda"} — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const data = await wizardPage(request, params.id ?? "");
  if (data.state !== "bozza") throw redirect(`/domande/${data.id}/riepilogo`);
  return data;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const result = await wizardAction(request, params.id ?? "");
  return result.ok ? redirect(result.redirect) : result;
}

/**
 * With JavaScript the page saves itself as one types (ADR 94): a debounced post of the page's
 * fields (never its files) to /domande/:id/bozza, answered in a polite live region.
 */
function useAutosave(id: string, page: string) {
  const formRef = useRef<HTMLFormElement>(null);
  const [status, setStatus] = useState("");
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const save = async () => {
      const body = new FormData(form);
      for (const [k, v] of [...body.entries()]) if (typeof v !== "string") body.delete(k);
      try {
        const res = await fetch(`/domande/${id}/bozza`, { method: "POST", body, headers: { Accept: "application/json" } });
        const out = res.headers.get("content-type")?.includes("json") ? ((await res.json()) as { message?: string }) : null;
        setStatus(out?.message ?? "Bozza non salvata: usa «Salva e continua più tardi».");
      } catch {
        setStatus("Bozza non salvata: connessione assente. Usa «Salva e continua più tardi».");
      }
    };
    const onChange = (e: Event) => {
      if ((e.target as HTMLInputElement).type === "file") return;
      clearTimeout(timer);
      timer = setTimeout(save, 1200);
    };
    form.addEventListener("input", onChange);
    form.addEventListener("change", onChange);
    return () => {
      clearTimeout(timer);
      form.removeEventListener("input", onChange);
      form.removeEventListener("change", onChange);
    };
  }, [id, page]);
  return { formRef, status };
}

export default function Wizard() {
  const { id, procedure, form, page, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { formRef, status } = useAutosave(id, page);
  const panel = form.components.find((p) => p.key === page)!;
  const index = form.components.indexOf(panel);
  const errors = result && !result.ok ? result.errors : {};
  const shown = result && !result.ok && result.values ? { ...values, ...result.values } : values;
  return (
    <>
      <PageTitle lead={procedure}>{`Pagina ${index + 1} di ${form.components.length}: ${fieldLabel(panel)}`}</PageTitle>
      <WizardSteps form={form} current={page} />
      {result && !result.ok ? <ErrorSummary errors={errors} message={result.message} /> : null}
      <p className="small">I campi con l'asterisco (*) sono obbligatori.</p>
      <Form method="post" encType="multipart/form-data" key={page} noValidate ref={formRef}>
        <CsrfInput />
        <input type="hidden" name="page" value={page} />
        <FormComponents list={panel.components ?? []} values={shown} errors={errors} />
        <div className="d-flex flex-wrap gap-2 mt-4">
          {index > 0 ? <button type="submit" name="intent" value="indietro" className="btn btn-outline-primary">Indietro</button> : null}
          <button type="submit" name="intent" value="avanti" className="btn btn-primary">{index + 1 < form.components.length ? "Salva e prosegui" : "Salva e verifica"}</button>
          <button type="submit" name="intent" value="salva" className="btn btn-outline-secondary">Salva e continua più tardi</button>
        </div>
        <p className="small mt-2 mb-0" role="status" aria-live="polite" data-testid="autosave-status">{status}</p>
      </Form>
      <p className="mt-4"><Link to={`/domande/${id}/invio`}>Verifica la completezza e invia</Link></p>
    </>
  );
}
