import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { InstructionPage } from "~/components/instructions";
import { UploadErrorsTable } from "~/components/upload-errors";
import { checkFile, validationContextFrom, type CheckResult } from "~/uploads/check/check-file";
import { checkDataFor } from "~/uploads/check/check-data.server";

export const meta: MetaFunction = () => [{ title: "Verifica il file sul tuo computer — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { data: await checkDataFor(request) };
}

/** The file's bytes, read in the browser: nothing is sent anywhere. */
async function* chunksOf(file: Blob): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

export default function CheckOnPc() {
  const { data } = useLoaderData<typeof loader>();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<CheckResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result || message) box.current?.focus();
  }, [result, message]);

  async function check(e: React.FormEvent) {
    e.preventDefault();
    setResult(null);
    if (!file) return setMessage("Scegli un file da verificare.");
    setMessage(null);
    setBusy(true);
    try {
      setResult(await checkFile(chunksOf(file), validationContextFrom(data)));
    } catch {
      setMessage("Il file non si può leggere: riprova.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <InstructionPage
      title="Verifica il file sul tuo computer"
      lead="Controlla un file del flusso prima di inviarlo, con le stesse regole e gli stessi messaggi della piattaforma: il file non lascia il tuo computer."
    >
      <form onSubmit={check} className="mb-4">
        <div className="mb-3">
          <label htmlFor="check-file" className="form-label">
            File da verificare (tracciato versione 1, testo UTF-8)
          </label>
          <input id="check-file" type="file" className="form-control" accept=".txt,.csv,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Verifica in corso…" : "Verifica il file"}
        </button>
        <p className="form-text mt-2">La verifica nel browser richiede JavaScript; senza, usa lo script qui sotto o «Verifica senza inviare» nella pagina di invio.</p>
      </form>
      <div aria-live="polite">
        {message ? (
          <div className="alert alert-danger" role="alert" tabIndex={-1} ref={box}>
            {message}
          </div>
        ) : null}
        {result ? (
          <div className={`alert ${result.status === "accepted" ? "alert-success" : "alert-warning"}`} tabIndex={-1} ref={box} data-testid="check-result">
            <h2 className="h5">Esito della verifica</h2>
            <p className="mb-0">
              {result.status === "accepted"
                ? `Nessun errore: il file sarebbe accettato (${result.records} record D).`
                : `Il file sarebbe rifiutato: ${result.errorCount} ${result.errorCount === 1 ? "errore" : "errori"}.`}
            </p>
          </div>
        ) : null}
      </div>
      {result?.errors.length ? (
        <UploadErrorsTable errors={result.errors} caption="Errori trovati" />
      ) : null}
      <h2 className="h4">Cosa viene controllato</h2>
      <p>
        Sintassi, numero dei campi, codici fiscali, date, importi, misure{data.gestoreFiscalCode ? ` accreditate per l'ente ${data.gestoreFiscalCode}` : " aperte"}, comuni,
        pratiche ripetute e coda. Restano alla piattaforma, all'invio o con «Verifica senza inviare», i controlli che richiedono i dati già trasmessi:
        data di riferimento rispetto all'ultimo file accettato, identificativo di invio già usato, passaggi di stato e campi non modificabili.
      </p>
      <h2 className="h4">Lo script per il computer dell'ente</h2>
      <p>
        Lo stesso controllo come un unico file per Node.js 20 o successivo, senza dipendenze, con le misure e i comuni di oggi. Si usa da riga di comando o dal
        gestionale prima dell'invio; esce con 0 se il file sarebbe accettato, 1 se ha errori.
      </p>
      <p>
        <a className="btn btn-outline-primary" href="/istruzioni/verifica-flusso.mjs" download="verifica-flusso.mjs">
          Scarica verifica-flusso.mjs
        </a>
      </p>
      <ul className="list-unstyled bg-light p-3">
        <li>
          <code>node verifica-flusso.mjs flusso.txt</code>
        </li>
        <li>
          <code>node verifica-flusso.mjs --json flusso.txt</code> (gli errori come nell'API)
        </li>
      </ul>
    </InstructionPage>
  );
}
