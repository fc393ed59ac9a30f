import { Form, Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { CsrfInput } from "./csrf-input";

export type LayoutUser = { displayName: string; roleLabel: string; scopeLabel: string | null } | null;

export type LayoutBranding = { logoUrl: string; banner: string; contactEmail: string; accessibilityUrl: string };

/** Pages anyone can read, signed in or not. */
const PUBLIC_NAV = [
  { to: "/procedimenti", label: "Procedimenti" },
  { to: "/istruzioni", label: "Istruzioni" },
];

export function Layout(props: {
  organizationName: string;
  branding?: LayoutBranding;
  user: LayoutUser;
  nav: { to: string; label: string }[];
  children: ReactNode;
}) {
  const { user } = props;
  return (
    <>
      <a className="skip-link" href="#contenuto">
        Vai al contenuto principale
      </a>
      <header className="it-header-wrapper">
        <div className="it-header-slim-wrapper">
          <div className="container">
            <div className="row">
              <div className="col-12">
                <div className="it-header-slim-wrapper-content">
                  <span className="d-lg-block navbar-brand">{props.organizationName}</span>
                  <div className="it-header-slim-right-zone">
                    {user ? (
                      <div className="d-flex align-items-center gap-3">
                        <span className="text-white" data-testid="signed-in-as">
                          {user.displayName} — {user.roleLabel}
                          {user.scopeLabel ? ` (${user.scopeLabel})` : ""}
                        </span>
                        <Form method="post" action="/auth/logout">
                          <CsrfInput />
                          <button type="submit" className="btn btn-primary btn-sm">
                            Esci
                          </button>
                        </Form>
                      </div>
                    ) : (
                      <Link className="btn btn-primary btn-sm" to="/accedi">
                        Accedi
                      </Link>
                    )}
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
        <div className="it-header-center-wrapper">
          <div className="container">
            <div className="it-header-center-content-wrapper">
              <div className="it-brand-wrapper">
                <Link to="/">
                  {props.branding?.logoUrl ? <img className="app-logo me-3" src={props.branding.logoUrl} alt="" /> : null}
                  <div className="it-brand-text">
                    <div className="it-brand-title">Monitoraggio pratiche</div>
                    <div className="it-brand-tagline d-none d-md-block">
                      Misure di finanziamento alle imprese e enti gestori
                    </div>
                  </div>
                </Link>
              </div>
            </div>
          </div>
        </div>
        {(
          <nav className="app-nav" aria-label="Navigazione principale">
            <div className="container">
              <ul>
                <li>
                  <NavLink to="/" end>
                    Home
                  </NavLink>
                </li>
                {[...props.nav, ...PUBLIC_NAV].map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to}>{item.label}</NavLink>
                  </li>
                ))}
              </ul>
            </div>
          </nav>
        )}
      </header>
      {props.branding?.banner ? (
        <div className="app-banner" role="region" aria-label="Avviso">
          <div className="container py-2">{props.branding.banner}</div>
        </div>
      ) : null}
      <main id="contenuto" className="container my-4 app-main" tabIndex={-1}>
        {props.children}
      </main>
      <footer className="it-footer">
        <div className="it-footer-small-prints clearfix">
          <div className="container">
            <ul className="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
              <li className="list-inline-item">{props.organizationName}</li>
              <li className="list-inline-item">
                <Link to="/istruzioni/accesso">Accesso con SPID, CIE e CNS</Link>
              </li>
              <li className="list-inline-item">
                <a href={props.branding?.accessibilityUrl ?? "/accessibilita"}>Dichiarazione di accessibilità</a>
              </li>
              {props.branding?.contactEmail ? (
                <li className="list-inline-item">
                  Contatti: <a href={`mailto:${props.branding.contactEmail}`}>{props.branding.contactEmail}</a>
                </li>
              ) : null}
            </ul>
          </div>
        </div>
      </footer>
    </>
  );
}

export function PageTitle({ children, lead }: { children: ReactNode; lead?: ReactNode }) {
  return (
    <div className="mb-4">
      <h1>{children}</h1>
      {lead ? <p className="lead">{lead}</p> : null}
    </div>
  );
}
