import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { InstructionPage } from "~/components/instructions";
import { uploadSpecHtml } from "~/public/public-pages.server";

export const meta: MetaFunction = () => [{ title: "Specifiche del flusso di alimentazione — Monitoraggio pratiche" }];

export async function loader() {
  return { html: uploadSpecHtml() };
}

export default function UploadSpec() {
  const { html } = useLoaderData<typeof loader>();
  return (
    <InstructionPage
      title="Specifiche del flusso di alimentazione"
      lead="Il file con cui gli enti gestori comunicano lo stato delle pratiche: tracciato, controlli e codici di errore."
    >
      <p>
        <a className="btn btn-primary" href="/esempi/flusso-esempio.txt" download="flusso-esempio.txt">
          Scarica un file di esempio (testo, UTF-8)
        </a>
      </p>
      <p>Il testo che segue è la specifica tecnica di riferimento, la stessa seguita dai controlli della piattaforma.</p>
      {/* Rendered from the repository's docs/formato-flusso.md, not from user input. */}
      <div className="spec-page" dangerouslySetInnerHTML={{ __html: html }} />
    </InstructionPage>
  );
}
