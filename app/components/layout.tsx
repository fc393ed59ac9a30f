import { Form, Link, NavLink, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { CsrfInput } from "./csrf-input";
import { Breadcrumb } from "./breadcrumb";

export type LayoutUser = { displayName: string; roleLabel: string; scopeLabel: string | null } | null;

export type LayoutBranding = { logoUrl: string; banner: string; contactEmail: string; accessibilityUrl: string };

export type LayoutNavItem = { to: string; label: string; group?: string };

/** Pages anyone can read, signed in or not. */
const PUBLIC_NAV: LayoutNavItem[] = [
  { to: "/procedimenti", label: "Procedimenti" },
  { to: "/istruzioni", label: "Istruzioni" },
];

/** The help desk's public form (issue 17): in the menu for visitors; signed-in people reach it from their area and the footer. */
const VISITOR_NAV: LayoutNavItem[] = [{ to: "/assistenza", label: "Assistenza" }];

const SPRITES = "/bootstrap-italia/svg/sprites.svg";
export const SITE_NAME = "Monitoraggio pratiche";

function Icon({ name, className = "icon" }: { name: string; className?: string }) {
  return (
    <svg className={className} aria-hidden="true" focusable="false">
      <use href={`${SPRITES}#${name}`} />
    </svg>
  );
}

type MenuEntry = { kind: "link"; item: LayoutNavItem } | { kind: "group"; label: string; items: LayoutNavItem[] };

/** Items of one group become one dropdown, in the order the groups first appear. */
function menuEntries(nav: LayoutNavItem[]): MenuEntry[] {
  const entries: MenuEntry[] = [];
  for (const item of nav) {
    const group = item.group ? nav.filter((i) => i.group === item.group) : [];
    if (group.length < 2) entries.push({ kind: "link", item });
    else if (!entries.some((e) => e.kind === "group" && e.label === item.group)) entries.push({ kind: "group", label: item.group!, items: group });
  }
  return entries;
}

/** The menu item a path belongs to: the longest `to` that is the path or a folder above it. */
function currentItem(nav: LayoutNavItem[], pathname: string) {
  return nav
    .filter((i) => pathname === i.to || pathname.startsWith(i.to + "/"))
    .sort((a, b) => b.to.length - a.to.length)[0];
}

/**
 * bootstrap-italia's collapsible header navigation. With JavaScript the menu button and the
 * dropdowns toggle React state; without it the menu button is a link to the menu (`:target`
 * shows it) and a dropdown opens while focus is inside it (app.css), so every page stays reachable.
 */
function HeaderNav({ nav }: { nav: LayoutNavItem[] }) {
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const [dropdown, setDropdown] = useState<string | null>(null);
  useEffect(() => {
    setOpen(false);
    setDropdown(null);
  }, [location.pathname, location.search]);
  useEffect(() => {
    if (!open && !dropdown) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        setDropdown(null);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open, dropdown]);
  const active = currentItem(nav, location.pathname);
  return (
    <div className="it-header-navbar-wrapper">
      <div className="container">
        <nav className="navbar navbar-expand-lg has-megamenu" aria-label="Navigazione principale">
          <a
            className="custom-navbar-toggler"
            href="#menu-principale"
            role="button"
            aria-controls="menu-principale"
            aria-expanded={open}
            onClick={(e) => {
              e.preventDefault();
              setOpen((o) => !o);
            }}
          >
            <Icon name="it-burger" />
            <span className="ms-2 text-white">Menu</span>
          </a>
          <div className={`navbar-collapsable${open ? " expanded" : ""}`} id="menu-principale" style={open ? { display: "block" } : undefined}>
            <div className="overlay" />
            <div className="close-div">
              <a
                className="btn close-menu"
                href="#"
                role="button"
                onClick={(e) => {
                  e.preventDefault();
                  setOpen(false);
                }}
              >
                <span className="visually-hidden">Chiudi il menu</span>
                <Icon name="it-close-big" />
              </a>
            </div>
            <div className="menu-wrapper">
              <ul className="navbar-nav">
                <li className="nav-item">
                  <NavLink className="nav-link" to="/" end>
                    <span>Home</span>
                  </NavLink>
                </li>
                {menuEntries(nav).map((entry) =>
                  entry.kind === "link" ? (
                    <li className="nav-item" key={entry.item.to}>
                      <NavLink className="nav-link" to={entry.item.to}>
                        <span>{entry.item.label}</span>
                      </NavLink>
                    </li>
                  ) : (
                    <li className="nav-item dropdown" key={entry.label}>
                      <button
                        type="button"
                        className={`nav-link dropdown-toggle${entry.items.includes(active!) ? " active" : ""}`}
                        aria-expanded={dropdown === entry.label}
                        aria-controls={`menu-${entry.label}`}
                        onClick={() => setDropdown((d) => (d === entry.label ? null : entry.label))}
                      >
                        <span>{entry.label}</span>
                        <Icon name="it-expand" className="icon icon-xs" />
                      </button>
                      <div className={`dropdown-menu${dropdown === entry.label ? " show" : ""}`} id={`menu-${entry.label}`}>
                        <div className="link-list-wrapper">
                          <ul className="link-list">
                            {entry.items.map((item) => (
                              <li key={item.to}>
                                <Link
                                  className={`dropdown-item list-item${item === active ? " active" : ""}`}
                                  to={item.to}
                                  aria-current={item === active && location.pathname === item.to ? "page" : undefined}
                                >
                                  <span>{item.label}</span>
                                </Link>
                              </li>
                            ))}
                          </ul>
                        </div>
                      </div>
                    </li>
                  ),
                )}
              </ul>
            </div>
          </div>
        </nav>
      </div>
    </div>
  );
}

/**
 * Breadcrumbs in the reserved area: Home, then the menu item the page belongs to. A page below
 * a menu item (a practice, an upload…) links back to it; its own name is its h1.
 */
function AreaBreadcrumb({ nav }: { nav: LayoutNavItem[] }) {
  const { pathname } = useLocation();
  const item = currentItem(nav, pathname);
  if (!item) return null;
  if (item.to === pathname) return <Breadcrumb trail={[{ to: "/", label: "Home" }]} current={item.label} />;
  return (
    <nav aria-label="Percorso" className="breadcrumb-container">
      <ol className="breadcrumb">
        <li className="breadcrumb-item">
          <Link to="/">Home</Link>
          <span className="separator">/</span>
        </li>
        <li className="breadcrumb-item">
          <Link to={item.to}>{item.label}</Link>
        </li>
      </ol>
    </nav>
  );
}

/**
 * After a form is sent or a page is opened from inside the app, focus goes to what answers the
 * person: the error summary or result message if the page shows one, otherwise the page's h1
 * (left on <body>, a screen reader would not know anything happened).
 */
function useFocusAfterNavigation() {
  const navigation = useNavigation();
  const location = useLocation();
  const busy = useRef(false);
  const first = useRef(true);
  useEffect(() => {
    if (navigation.state !== "idle") {
      busy.current = true;
      return;
    }
    if (first.current) {
      first.current = false;
      busy.current = false;
      return;
    }
    if (!busy.current) return;
    busy.current = false;
    if (location.hash) return;
    const main = document.getElementById("contenuto");
    // A component that knows better names its target with data-autofocus (the take-over question).
    const target =
      main?.querySelector<HTMLElement>("[data-autofocus]") ??
      main?.querySelector<HTMLElement>('[role="alert"], [role="status"], .alert') ??
      main?.querySelector<HTMLElement>("h1");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }, [navigation.state, location.key, location.hash]);
}

/**
 * A form posted to an index route leaves "?index" in the address (Remix's way of telling the
 * index from its parent); once the answer is shown, the address goes back to the page's own,
 * so it can be bookmarked or reloaded without sending the form again.
 */
function useCleanIndexParam() {
  const location = useLocation();
  const navigation = useNavigation();
  useEffect(() => {
    if (navigation.state !== "idle") return;
    const params = new URLSearchParams(location.search);
    if (!params.has("index") || params.get("index") !== "") return;
    params.delete("index");
    const search = params.toString();
    window.history.replaceState(window.history.state, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
  }, [location, navigation.state]);
}

export function Layout(props: {
  organizationName: string;
  branding?: LayoutBranding;
  user: LayoutUser;
  nav: LayoutNavItem[];
  children: ReactNode;
}) {
  const { user } = props;
  const nav = [...props.nav, ...PUBLIC_NAV, ...(user ? [] : VISITOR_NAV)];
  useFocusAfterNavigation();
  useCleanIndexParam();
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
                <div className="it-header-slim-wrapper-content app-slim">
                  <span className="navbar-brand app-slim-name">{props.organizationName}</span>
                  <div className="it-header-slim-right-zone">
                    {user ? (
                      <div className="d-flex align-items-center gap-3">
                        <span className="text-white app-slim-user" data-testid="signed-in-as">
                          <span className="d-none d-md-inline">{user.displayName} — </span>
                          {user.roleLabel}
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
                    <div className="it-brand-title">{SITE_NAME}</div>
                    <div className="it-brand-tagline d-none d-md-block">Misure di finanziamento alle imprese e enti gestori</div>
                  </div>
                </Link>
              </div>
            </div>
          </div>
        </div>
        <HeaderNav nav={nav} />
      </header>
      {props.branding?.banner ? (
        <div className="app-banner" role="region" aria-label="Avviso">
          <div className="container py-2">{props.branding.banner}</div>
        </div>
      ) : null}
      <main id="contenuto" className="container my-4 app-main" tabIndex={-1}>
        {user ? <AreaBreadcrumb nav={props.nav} /> : null}
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
              <li className="list-inline-item">
                <Link to="/assistenza">Assistenza</Link>
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
