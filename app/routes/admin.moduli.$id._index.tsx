import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { editorAction, editorPage } from "~/applications/form-editor-pages.server";
import { BackToConfig } from "~/components/admin";
import { CsrfInput } from "~/components/csrf-input";
import { ActionButton, EditorAlert } from "~/components/form-editor";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Modulo versione ${data?.version ?? ""}: ${data?.procedureTitle ?? ""} — Configurazione — Monitoraggio pratiche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return editorPage(request, params.id ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  return editorAction(request, params.id ?? "");
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** Up, down, edit, remove: one small form each, so keyboard and no-JavaScript users have them all. */
function RowActions({ k, label, first, last, editable, modelId, page }: { k: string; label: string; first: boolean; last: boolean; editable: boolean; modelId: string; page?: boolean }) {
  const what = `${page ? "la pagina" : ""} «${label}»`;
  return (
    <span className="d-inline-flex flex-wrap gap-1 align-items-center">
      {editable ? (
        <Link className="btn btn-outline-primary btn-sm" to={`/admin/moduli/${modelId}/campi/${k}`}>
          Modifica<span className="visually-hidden"> {what}</span>
        </Link>
      ) : null}
      <ActionButton intent="su" fields={{ key: k }} label="Sposta su" hidden={what} disabled={first} />
      <ActionButton intent="giu" fields={{ key: k }} label="Sposta giù" hidden={what} disabled={last} />
      <ActionButton intent="rimuovi" fields={{ key: k }} label="Rimuovi" hidden={what} className="btn btn-outline-danger btn-sm" />
    </span>
  );
}

function PageSection({ p, index, data }: { p: Loaded["pages"][number]; index: number; data: Loaded }) {
  const draft = data.status === "draft";
  const places = data.destinations.filter((d) => d.page === p.key);
  return (
    <section className="card card-bg mb-4" aria-labelledby={`pagina-${p.key}`}>
      <div className="card-body">
        <div className="d-flex flex-wrap justify-content-between gap-2 align-items-center">
          <h2 className="h5 mb-0" id={`pagina-${p.key}`}>
            Pagina {index + 1}: {p.title}
          </h2>
          {draft ? <RowActions k={p.key} label={p.title} first={p.first} last={p.last} editable modelId={data.id} page /> : null}
        </div>
        {p.rows.length ? (
          <ol className="list-unstyled mt-3 mb-0">
            {p.rows.map((r) =>
              r.type === "column" ? (
                <li key={r.key} className="border-top py-1" style={{ paddingLeft: `${r.depth * 1.5}rem` }}>
                  <small className="fw-semibold">{r.label}</small>
                </li>
              ) : (
                <li key={r.key} id={`c-${r.key}`} className="border-top py-2" style={{ paddingLeft: `${r.depth * 1.5}rem` }}>
                  <div className="d-flex flex-wrap justify-content-between gap-2 align-items-center">
                    <span>
                      <strong>{r.label || r.key}</strong>
                      {r.required ? " (obbligatorio)" : ""}
                      {r.conditional ? " (con condizione)" : ""}
                      <br />
                      <small className="text-muted">
                        {r.typeLabel} · chiave <code>{r.key}</code>
                      </small>
                    </span>
                    {draft ? <RowActions k={r.key} label={r.label || r.key} first={r.first} last={r.last} editable={r.editable} modelId={data.id} /> : null}
                  </div>
                </li>
              )
            )}
          </ol>
        ) : (
          <p className="mt-3 mb-0">Nessun campo in questa pagina.</p>
        )}
        {draft ? (
          <Form method="post" className="mt-3 border-top pt-3">
            <CsrfInput />
            <fieldset>
              <legend className="h6 mb-5">Aggiungi un campo a «{p.title}»</legend>
              <div className="row g-2 align-items-end">
                {places.length > 1 ? (
                  <div className="col-12 select-wrapper mb-4">
                    <label htmlFor={`parent-${p.key}`}>Dove</label>
                    <select id={`parent-${p.key}`} name="parent" defaultValue={p.key}>
                      {places.map((d) => (
                        <option key={d.id} value={d.id}>
                          {d.label}
                        </option>
                      ))}
                    </select>
                  </div>
                ) : (
                  <input type="hidden" name="parent" value={p.key} />
                )}
                <div className="col-md-4 select-wrapper">
                  <label htmlFor={`type-${p.key}`}>Tipo</label>
                  <select id={`type-${p.key}`} name="type" defaultValue="textfield">
                    {data.types.map((t) => (
                      <option key={t.value} value={t.value}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="col-md-5 form-group mb-0">
                  <label htmlFor={`label-${p.key}`} className="active">
                    Etichetta
                  </label>
                  <input id={`label-${p.key}`} name="label" className="form-control" maxLength={300} />
                </div>
                <div className="col-md-3">
                  <button type="submit" name="intent" value="aggiungi-campo" className="btn btn-primary w-100">
                    Aggiungi<span className="visually-hidden"> il campo a «{p.title}»</span>
                  </button>
                </div>
              </div>
            </fieldset>
          </Form>
        ) : null}
      </div>
    </section>
  );
}

export default function FormModelEditor() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const draft = data.status === "draft";
  return (
    <>
      <BackToConfig to={`/admin/procedimenti/${data.procedureId}/modulo`} label="Versioni del modulo" />
      <PageTitle lead={data.procedureTitle}>
        Modulo, versione {data.version} ({data.statusLabel.toLowerCase()})
      </PageTitle>
      <EditorAlert result={result} notice={data.notice} />
      <div className="d-flex flex-wrap gap-2 mb-4">
        <Link className="btn btn-outline-primary" to={`/admin/moduli/${data.id}/anteprima`}>
          Anteprima
        </Link>
        <a className="btn btn-outline-primary" href={`/admin/moduli/${data.id}/esporta`} download>
          Esporta il JSON
        </a>
        {draft ? (
          <ActionButton intent="pubblica" label="Pubblica questa versione" className="btn btn-primary" />
        ) : (
          <ActionButton intent="nuova-bozza" label="Crea una nuova bozza da modificare" className="btn btn-primary" />
        )}
      </div>
      {draft ? (
        <p>Ogni modifica è controllata come un'importazione del JSON: se il modulo risultante non è valido, la modifica è rifiutata e nulla cambia.</p>
      ) : (
        <div className="alert alert-info" role="note">
          Questa versione è {data.statusLabel.toLowerCase()} e non cambia più: le domande iniziate con essa la conservano. Per modificarla crea una nuova bozza.
        </div>
      )}
      {data.pages.map((p, i) => (
        <PageSection key={p.key} p={p} index={i} data={data} />
      ))}
      {draft ? (
        <Form method="post" className="mb-4">
          <CsrfInput />
          <fieldset>
            <legend className="h5 mb-5">Aggiungi una pagina</legend>
            <div className="row g-2 align-items-end">
              <div className="col-md-8 form-group mb-0">
                <label htmlFor="new-page-title" className="active">
                  Titolo della pagina
                </label>
                <input id="new-page-title" name="title" className="form-control" maxLength={200} />
              </div>
              <div className="col-md-4">
                <button type="submit" name="intent" value="aggiungi-pagina" className="btn btn-primary w-100">
                  Aggiungi la pagina
                </button>
              </div>
            </div>
          </fieldset>
        </Form>
      ) : null}
    </>
  );
}
