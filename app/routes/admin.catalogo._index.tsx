import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { catalogueAdminData, handleCatalogueAction } from "~/admin/config-pages.server";
import { PROCEDURE_STATUS_LABELS as STATUS_LABELS } from "~/components/labels";
import { requireForm, requirePermission } from "~/auth/guards.server";
import { BackToConfig } from "~/components/admin";
import { CatalogueTree } from "~/components/catalogue-tree";
import { CsrfInput } from "~/components/csrf-input";
import { FormAlert, FormState, SelectField, TextField } from "~/components/form-fields";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Catalogo dei procedimenti — Configurazione — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "config.manage");
  return catalogueAdminData();
}

export async function action({ request }: ActionFunctionArgs) {
  const signedIn = await requirePermission(request, "config.manage");
  return handleCatalogueAction(request, signedIn, await requireForm(request, signedIn));
}

function MoveButtons({ kind, id, title, index, count }: { kind: "category" | "procedure"; id: string; title: string; index: number; count: number }) {
  return (
    <span className="tree-actions">
      {(["up", "down"] as const).map((direction) => (
        <Form method="post" key={direction} className="d-inline">
          <CsrfInput />
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="direction" value={direction} />
          <button
            type="submit"
            className="btn btn-outline-primary"
            disabled={direction === "up" ? index === 0 : index === count - 1}
            aria-label={`Sposta ${direction === "up" ? "su" : "giù"}: ${title}`}
          >
            {direction === "up" ? "↑" : "↓"}
          </button>
        </Form>
      ))}
    </span>
  );
}

export default function CatalogueAdmin() {
  const { tree, categories } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackToConfig />
      <PageTitle lead="Le categorie e i procedimenti nell'ordine in cui compaiono nell'area pubblica. Solo i procedimenti pubblicati sono visibili a tutti.">
        Catalogo dei procedimenti
      </PageTitle>
      <FormAlert result={result} />
      <p>
        <Link className="btn btn-primary" to="/admin/procedimenti/nuovo">
          Nuovo procedimento
        </Link>
      </p>
      {tree.length ? (
        <div className="catalogue-tree mb-5">
          <CatalogueTree
            tree={tree}
            procedureHref={(id) => `/admin/procedimenti/${id}`}
            categoryExtra={(n, i, count) => (
              <>
                <MoveButtons kind="category" id={n.id} title={n.title} index={i} count={count} />
                <Link className="ms-2 small" to={`/admin/catalogo/categorie/${n.id}`}>
                  modifica<span className="visually-hidden"> la categoria {n.title}</span>
                </Link>
                <Link className="ms-2 small" to={`/admin/procedimenti/nuovo?categoria=${n.id}`}>
                  aggiungi procedimento<span className="visually-hidden"> in {n.title}</span>
                </Link>
              </>
            )}
            procedureExtra={(p, j, count) => (
              <>
                {" "}
                <span className={`badge ${p.status === "published" ? "bg-success" : "bg-secondary"}`}>{STATUS_LABELS[p.status]}</span>
                {p.measureCode ? <span className="badge bg-primary ms-1">Misura {p.measureCode}</span> : null}
                <MoveButtons kind="procedure" id={p.id} title={p.title} index={j} count={count} />
              </>
            )}
          />
        </div>
      ) : (
        <p>Il catalogo è vuoto: aggiungi una categoria.</p>
      )}
      <h2 className="h4">Nuova categoria</h2>
      <FormState result={result}>
        <Form method="post" className="row mt-4">
          <CsrfInput />
          <input type="hidden" name="intent" value="add-category" />
          <TextField className="col-md-5" name="title" label="Titolo" required maxLength={200} />
          <SelectField
            className="col-md-5"
            name="parentId"
            label="Dentro la categoria"
            empty="Nessuna (primo livello)"
            options={categories.map((c) => ({ value: c.id, label: `${"— ".repeat(c.depth)}${c.title}` }))}
          />
          <div className="col-md-2">
            <button type="submit" className="btn btn-outline-primary">
              Aggiungi
            </button>
          </div>
        </Form>
      </FormState>
    </>
  );
}
