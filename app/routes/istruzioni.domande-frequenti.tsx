import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { InstructionPage } from "~/components/instructions";
import { faqPageData } from "~/public/public-pages.server";

export const meta: MetaFunction = () => [{ title: "Domande frequenti — Istruzioni — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return faqPageData(new URL(request.url));
}

export default function Faq() {
  const { q, error, results, entries } = useLoaderData<typeof loader>();
  const shown = results ? entries.filter((e) => results.some((r) => r.id === e.id)) : entries;
  return (
    <InstructionPage title="Domande frequenti" lead="Le risposte dell'help desk alle domande più comuni. Se non trovi la risposta, scrivi all'assistenza.">
      <Form method="get" role="search" className="d-flex gap-2 align-items-end pt-4 mb-4">
        <div className="form-group flex-grow-1 mb-0">
          <label htmlFor="q" className="active">Cerca tra le domande frequenti</label>
          <input id="q" name="q" type="search" className={`form-control${error ? " is-invalid" : ""}`} defaultValue={q} aria-describedby={error ? "q-error" : undefined} />
          {error ? <div id="q-error" className="invalid-feedback d-block">{error}</div> : null}
        </div>
        <button type="submit" className="btn btn-primary">Cerca</button>
      </Form>
      {results ? (
        <p aria-live="polite" className="fw-semibold">
          {results.length === 0 ? `Nessuna domanda frequente trovata per «${q}».` : `Domande frequenti per «${q}»: ${results.length}`}
        </p>
      ) : null}
      {entries.length === 0 ? <p>Non ci sono ancora domande frequenti pubblicate.</p> : null}
      {(results ? results.map((r) => shown.find((e) => e.id === r.id)!).filter(Boolean) : shown).map((e) => (
        <section key={e.id} id={`faq-${e.id}`} aria-labelledby={`faq-${e.id}-q`} className="mb-4 faq-entry">
          <h2 id={`faq-${e.id}-q`} className="h5">{e.question}</h2>
          <p style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{e.answer}</p>
        </section>
      ))}
      <p>
        Non hai trovato la risposta? <a href="/assistenza">Scrivi all&apos;assistenza</a>.
      </p>
    </InstructionPage>
  );
}
