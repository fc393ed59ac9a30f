import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * The filter bar of a list or dashboard: a GET form (the filters live in the URL, so a view can be
 * bookmarked), the problems found in the filters as one message above it, the submit button,
 * an optional reset link and extra actions such as exports.
 */
export function FilterForm(props: {
  label: string;
  children: ReactNode;
  submitLabel?: string;
  resetTo?: string;
  actions?: ReactNode;
  problems?: string[];
}) {
  return (
    <>
      {props.problems?.length ? (
        <div className="alert alert-warning" role="alert" data-testid="filter-problems">
          <p className="mb-1">Filtri non applicati:</p>
          <ul className="mb-0">
            {props.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="get" className="row g-3 mb-4 align-items-end app-filters" aria-label={props.label}>
        {props.children}
        <div className="col-12 d-flex flex-wrap gap-2">
          <button type="submit" className="btn btn-primary">
            {props.submitLabel ?? "Filtra"}
          </button>
          {props.resetTo ? (
            <Link to={props.resetTo} className="btn btn-outline-primary">
              Azzera
            </Link>
          ) : null}
          {props.actions}
        </div>
      </Form>
    </>
  );
}
