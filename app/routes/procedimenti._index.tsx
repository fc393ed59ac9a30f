import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CatalogueTree } from "~/components/catalogue-tree";
import { PageTitle } from "~/components/layout";
import { cataloguePageData } from "~/public/public-pages.server";

export const meta: MetaFunction = () => [{ title: "Catalogo dei procedimenti — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return cataloguePageData(new URL(request.url));
}

export default function Catalogue() {
  const { q, error, results, tree } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead="I procedimenti dell'ente: a chi rivolgersi, cosa serve, quanto dura.">Catalogo dei procedimenti</PageTitle>
      <Form method="get" role="search" className="d-flex gap-2 align-items-end pt-4 mb-4">
        <div className="form-group flex-grow-1 mb-0">
          <label htmlFor="q" className="active">
            Cerca nel catalogo
          </label>
          <input
            id="q"
            name="q"
            type="search"
            className={`form-control${error ? " is-invalid" : ""}`}
            defaultValue={q}
            aria-describedby={error ? "q-error" : undefined}
          />
          {error ? (
            <div id="q-error" className="invalid-feedback d-block">
              {error}
            </div>
          ) : null}
        </div>
        <button type="submit" className="btn btn-primary">
          Cerca
        </button>
      </Form>
      {results ? (
        <section aria-labelledby="risultati" className="mb-5">
          <h2 id="risultati" className="h4" aria-live="polite">
            {results.length === 0 ? `Nessun procedimento o domanda frequente trovati per «${q}»` : `Risultati per «${q}»: ${results.length}`}
          </h2>
          <ul className="list-unstyled">
            {results.map((r) => (
              <li key={r.id} className="mb-3 search-hit">
                <Link to={r.href} className="h5">
                  {r.title}
                </Link>
                <div className="small text-muted">{r.category}</div>
                <p className="mb-0">
                  {r.excerpt.map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
                </p>
              </li>
            ))}
          </ul>
          <Link to="/procedimenti">Mostra tutto il catalogo</Link>
        </section>
      ) : null}
      {!results ? (
        tree.length ? (
          <nav className="catalogue-tree" aria-label="Catalogo per categoria">
            <CatalogueTree tree={tree} procedureHref={(id) => `/procedimenti/${id}`} />
          </nav>
        ) : (
          <p>Il catalogo non contiene ancora procedimenti pubblicati.</p>
        )
      ) : null}
    </>
  );
}
