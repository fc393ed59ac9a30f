import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { requirePermission } from "~/auth/guards.server";
import { GESTORE_INACTIVE_MESSAGE } from "~/uploads/receive.server";
import { gestoreIsActive } from "~/uploads/uploads.server";
import { PageTitle } from "~/components/layout";
import { UploadErrorsTable } from "~/components/upload-errors";
import { dryRunSummary } from "~/uploads/dry-run-summary";

type Checked = Parameters<typeof dryRunSummary>[0] & { errors: { line: number; field: string | null; code: string; message: string }[] };

export const meta: MetaFunction = () => [{ title: "Invia flusso — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, actor } = await requirePermission(request, "uploads.send");
  const inactive = actor.gestoreId ? !(await gestoreIsActive(actor.gestoreId)) : false;
  return { csrf: session.csrfToken, inactive: inactive ? GESTORE_INACTIVE_MESSAGE : null };
}

export default function NewUpload() {
  const { csrf, inactive } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [checked, setChecked] = useState<Checked | null>(null);
  const errorBox = useRef<HTMLDivElement>(null);
  const checkedBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (checked) checkedBox.current?.focus();
  }, [checked]);
  // A refusal is announced and focused, so keyboard and screen reader users land on it.
  useEffect(() => {
    if (error) errorBox.current?.focus();
  }, [error]);

  function send(e: React.FormEvent, dryRun = false) {
    e.preventDefault();
    if (!file) return setError(dryRun ? "Scegli un file da verificare." : "Scegli un file da inviare.");
    setError(null);
    setChecked(null);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", dryRun ? "/caricamenti/invia?verifica=1" : "/caricamenti/invia");
    xhr.setRequestHeader("Content-Type", "text/plain; charset=utf-8");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (ev) => ev.lengthComputable && setProgress(Math.round((ev.loaded / ev.total) * 100));
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || "{}");
      if (xhr.status >= 200 && xhr.status < 300 && body.checked) {
        setProgress(null);
        setChecked(body.checked);
      } else if (xhr.status >= 200 && xhr.status < 300) navigate(body.url ?? `/caricamenti/${body.id}`);
      else {
        setProgress(null);
        setError(body.error ?? `Invio non riuscito (${xhr.status}).`);
      }
    };
    xhr.onerror = () => {
      setProgress(null);
      setError("Connessione interrotta durante l'invio: riprova.");
    };
    xhr.send(file);
  }

  if (inactive)
    return (
      <>
        <PageTitle>Invia flusso</PageTitle>
        <div className="alert alert-warning" role="alert">
          {inactive}
        </div>
      </>
    );

  return (
    <>
      <PageTitle lead="Il file (tracciato versione 1, testo UTF-8 separato da |) viene conservato e poi elaborato: l'esito compare qui sotto senza ricaricare la pagina.">
        Invia flusso
      </PageTitle>
      <form method="post" action={`/caricamenti/invia?csrf=${encodeURIComponent(csrf)}`} encType="multipart/form-data" onSubmit={send}>
        <div
          className={`p-4 mb-3 border rounded text-center ${dragging ? "border-primary bg-light" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            const dropped = e.dataTransfer.files[0];
            if (dropped) setFile(dropped);
          }}
        >
          <p className="mb-2">Trascina qui il file oppure sceglilo dal computer.</p>
          {/* The input comes before its label so that CSS can show the input's focus on the label (app.css). */}
          <input
            ref={input}
            id="file"
            name="file"
            type="file"
            accept=".txt,.csv,text/plain"
            className="visually-hidden"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <label htmlFor="file" className="btn btn-outline-primary">
            Scegli il file
          </label>
          <p className="mt-2 mb-0" aria-live="polite" data-testid="chosen-file">
            {file ? `${file.name} (${(file.size / 1024).toLocaleString("it-IT", { maximumFractionDigits: 1 })} kB)` : "Nessun file scelto"}
          </p>
        </div>
        {progress !== null ? (
          <div className="mb-3">
            <label htmlFor="upload-progress" className="form-label">Invio in corso: {progress}%</label>
            <progress id="upload-progress" className="w-100" max={100} value={progress} />
          </div>
        ) : null}
        {error ? <div className="alert alert-danger" role="alert" tabIndex={-1} ref={errorBox}>{error}</div> : null}
        {checked ? (
          <div className={`alert ${checked.status === "accepted" ? "alert-success" : "alert-warning"}`} role="status" tabIndex={-1} ref={checkedBox} data-testid="dry-run">
            <h2 className="h5">Esito della verifica</h2>
            <p className="mb-0">{dryRunSummary(checked)}</p>
          </div>
        ) : null}
        {checked?.errors.length ? (
          <UploadErrorsTable errors={checked.errors} caption="Errori trovati dalla verifica" />
        ) : null}
        <div className="d-flex flex-wrap gap-2">
          <button type="submit" className="btn btn-primary" disabled={progress !== null}>
            Invia
          </button>
          <button
            type="submit"
            className="btn btn-outline-primary"
            disabled={progress !== null}
            formAction={`/caricamenti/invia?verifica=1&csrf=${encodeURIComponent(csrf)}`}
            onClick={(e) => send(e, true)}
          >
            Verifica senza inviare
          </button>
        </div>
        <p className="form-text mt-2">
          «Verifica senza inviare» controlla il file con le stesse regole dell'invio e sulle pratiche già trasmesse, senza registrare nulla. Per
          controllarlo senza che lasci il computer, vedi <a href="/istruzioni/verifica-file">Verifica il file sul tuo computer</a>.
        </p>
      </form>
    </>
  );
}
