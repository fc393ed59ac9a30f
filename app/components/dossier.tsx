import { Form, Link } from "@remix-run/react";
import { SelectField, TextField } from "./form-fields";
import { NewMessageForm } from "./new-message-form";
import { CsrfInput } from "./csrf-input";
import { formatDate, formatDateTime, HANDLING_LABELS } from "./labels";
import { SignatureNote } from "./signature";
import type { SignatureView } from "~/signatures/view";

/** What the practice page's loader sends for the back-office parts (JSON shape). */
export type DossierData = {
  signatures?: Record<string, SignatureView>;
  canWork: boolean;
  me: string;
  docTypes: Record<string, string>;
  documents: { id: string; seriesId: string; version: number; docType: string; fileName: string; sizeBytes: number; sha256: string; side: string; createdAt: string; authorName: string; authorSurname: string }[];
  threads: { id: string; kind: string; subject: string; dueOn: string | null; answeredAt: string | null; lastMessageAt: string; unread: number }[];
  workItem: { state: string; assigneeUserId: string | null; assignee: string | null; priority: string; dueOn: string | null } | null;
  colleagues: { userId: string; name: string; surname: string }[];
};


function WorkButton({ action, label, variant = "outline-primary" }: { action: string; label: string; variant?: string }) {
  return (
    <Form method="post" className="d-inline me-2">
      <CsrfInput />
      <input type="hidden" name="intent" value="work" />
      <input type="hidden" name="action" value={action} />
      <button type="submit" className={`btn btn-${variant} btn-sm`}>{label}</button>
    </Form>
  );
}

/** Who handles the practice, and the official's actions on it. */
export function HandlingBox({ dossier }: { dossier: Pick<DossierData, "workItem" | "me" | "colleagues"> }) {
  const w = dossier.workItem;
  const state = w?.state ?? "open";
  return (
    <section className="card card-bg mb-4" aria-labelledby="handling-title">
      <div className="card-body">
        <h2 id="handling-title" className="h5">Lavorazione</h2>
        <p data-testid="handling">
          {HANDLING_LABELS[state]}
          {w?.assignee ? `: ${w.assignee}` : ""}
          {w?.priority === "alta" ? " — priorità alta" : ""}
          {w?.dueOn ? ` — entro il ${formatDate(w.dueOn)}` : ""}
        </p>
        {state !== "done" && w?.assigneeUserId !== dossier.me ? (
          <Form method="post" className="row g-2 align-items-end mb-2">
            <CsrfInput />
            <input type="hidden" name="intent" value="work" />
            <input type="hidden" name="action" value="take" />
            <SelectField id="take-priority" name="priority" label="Priorità" className="col-md-3" defaultValue="normale" options={[{ value: "normale", label: "Normale" }, { value: "alta", label: "Alta" }]} />
            <div className="col-md-3">
              <label htmlFor="take-due" className="form-label">Da concludere entro</label>
              <input type="date" id="take-due" name="dueOn" className="form-control" />
            </div>
            <div className="col-md-3"><button type="submit" className="btn btn-primary">Prendi in carico</button></div>
          </Form>
        ) : null}
        {state === "in_charge" ? (
          <>
            <Form method="post" className="row g-2 align-items-end mb-2">
              <CsrfInput />
              <input type="hidden" name="intent" value="work" />
              <input type="hidden" name="action" value="assign" />
              <SelectField
                id="assign-to"
                name="assignee"
                label="Assegna a un collega della struttura"
                className="col-md-6"
                empty="Scegli…"
                options={dossier.colleagues.map((c) => ({ value: c.userId, label: `${c.surname} ${c.name}` }))}
              />
              <div className="col-md-3"><button type="submit" className="btn btn-outline-primary">Assegna</button></div>
            </Form>
            <WorkButton action="release" label="Rilascia" />
            <WorkButton action="complete" label="Concludi la lavorazione" variant="outline-success" />
          </>
        ) : null}
        {state === "done" ? <WorkButton action="reopen" label="Riapri" /> : null}
      </div>
    </section>
  );
}

/** The dossier tab: communications, documents with their versions, the PDF summary. */
export function Dossier({
  practiceId,
  dossier,
  uploads,
}: {
  practiceId: number;
  dossier: DossierData;
  uploads: { id: string; submissionId: string | null; recordedAt: string }[];
}) {
  const series = new Map<string, DossierData["documents"]>();
  for (const d of dossier.documents) series.set(d.seriesId, [...(series.get(d.seriesId) ?? []), d]);
  return (
    <>
      <p>
        <a className="btn btn-outline-primary" href={`/pratiche/${practiceId}/fascicolo.pdf`} download>Scarica il riepilogo PDF</a>
      </p>
      <h2 className="h4">Flussi che hanno toccato la pratica</h2>
      {uploads.length === 0 ? <p>Nessun flusso registrato.</p> : (
        <ul data-testid="dossier-uploads">
          {uploads.map((u) => (
            <li key={u.id}><Link to={`/caricamenti/${u.id}`}>{u.submissionId ?? "file"}</Link>, registrato il {formatDateTime(u.recordedAt)}</li>
          ))}
        </ul>
      )}
      <h2 className="h4">Comunicazioni</h2>
      {dossier.threads.length === 0 ? <p>Nessuna comunicazione su questa pratica.</p> : (
        <ul className="list-group mb-3" data-testid="dossier-threads">
          {dossier.threads.map((t) => (
            <li key={t.id} className="list-group-item">
              <Link to={`/messaggi/${t.id}`}>{t.subject}</Link>{" "}
              {t.kind === "chiarimento" ? (
                <span className={`badge ${t.answeredAt ? "bg-success" : "bg-warning text-dark"}`}>
                  chiarimenti entro il {formatDate(t.dueOn)}{t.answeredAt ? ", risposta ricevuta" : ""}
                </span>
              ) : null}
              {t.unread ? <span className="badge bg-primary ms-1">{t.unread} da leggere</span> : null}
              <br /><small className="text-muted">ultimo messaggio il {formatDateTime(t.lastMessageAt)}</small>
            </li>
          ))}
        </ul>
      )}
      {dossier.canWork ? (
        <NewMessageForm summary="Scrivi all'ente gestore o chiedi chiarimenti" intent="thread">
          <div className="row g-3 mb-3">
            <SelectField
              name="kind"
              label="Tipo"
              className="col-md-4"
              defaultValue="chiarimento"
              options={[{ value: "chiarimento", label: "Richiesta di chiarimenti" }, { value: "messaggio", label: "Messaggio" }]}
            />
            <TextField name="dueOn" label="Risposta entro (richieste di chiarimenti)" type="date" className="col-md-4" />
          </div>
        </NewMessageForm>
      ) : null}
      <h2 className="h4">Documenti</h2>
      {series.size === 0 ? <p>Nessun documento.</p> : (
        <div className="table-responsive">
          <table className="table" data-testid="dossier-documents">
            <caption>Documenti della pratica; ogni versione è conservata</caption>
            <thead>
              <tr><th scope="col">File</th><th scope="col">Tipo</th><th scope="col">Versioni</th><th scope="col">Caricato da</th></tr>
            </thead>
            <tbody>
              {[...series.values()].map((versions) => {
                const last = versions[0]!;
                return (
                  <tr key={last.seriesId}>
                    <td>
                      <a href={`/documenti/${last.id}`}>{last.fileName}</a><br /><small className="text-muted">SHA-256 {last.sha256.slice(0, 16)}…</small>
                      {dossier.signatures?.[last.id] ? <SignatureNote view={dossier.signatures[last.id]!} contentHref={`/documenti/${last.id}/contenuto`} /> : null}
                    </td>
                    <td>{dossier.docTypes[last.docType] ?? last.docType}</td>
                    <td>
                      {versions.map((v) => (
                        <span key={v.id} className="me-2"><a href={`/documenti/${v.id}`}>v{v.version}</a> ({formatDateTime(v.createdAt)})</span>
                      ))}
                    </td>
                    <td>{last.authorName} {last.authorSurname} ({last.side === "ufficio" ? "ufficio" : "ente gestore"})</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h3 className="h5">Aggiungi un documento o una nuova versione</h3>
      <Form method="post" encType="multipart/form-data" className="row g-3 mb-4">
        <CsrfInput />
        <input type="hidden" name="intent" value="document" />
        <div className="col-md-4">
          <label htmlFor="doc-file" className="form-label">File (al massimo 10 MB)</label>
          <input type="file" id="doc-file" name="file" className="form-control" required />
        </div>
        <SelectField id="doc-type" name="docType" label="Tipo di documento" className="col-md-3" empty="Scegli…" options={Object.entries(dossier.docTypes).map(([value, label]) => ({ value, label }))} />
        <SelectField
          id="doc-series"
          name="seriesId"
          label="Nuova versione di"
          className="col-md-3"
          empty="— nuovo documento —"
          options={[...series.values()].map((v) => ({ value: v[0]!.seriesId, label: v[0]!.fileName }))}
        />
        <div className="col-md-2 d-flex align-items-end"><button type="submit" className="btn btn-primary">Carica</button></div>
      </Form>
    </>
  );
}
