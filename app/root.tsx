import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { getSignedIn } from "~/auth/guards.server";
import { navigationFor, ROLE_LABELS } from "~/auth/permissions";
import { Layout } from "~/components/layout";
import type { RootLoaderData } from "~/lib/root-data";
import { useNonce } from "~/components/nonce";
import { currentBranding } from "~/branding/branding.server";
import appCss from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/bootstrap-italia/css/bootstrap-italia.min.css" },
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

// The error page sets its own title; no second <title> from here.
export const meta: MetaFunction = ({ error }) => (error ? [] : [{ title: "Monitoraggio pratiche" }]);

export async function loader({ request }: LoaderFunctionArgs): Promise<RootLoaderData> {
  const signedIn = await getSignedIn(request);
  const actor = signedIn?.actor;
  const branding = await currentBranding();
  return {
    organizationName: branding.bodyName,
    branding: {
      logoUrl: branding.logoUrl,
      banner: branding.banner,
      contactEmail: branding.contactEmail,
      accessibilityUrl: branding.accessibilityUrl || "/accessibilita",
    },
    csrfToken: signedIn?.session.csrfToken ?? null,
    user: actor
      ? {
          displayName: `${actor.name} ${actor.surname}`,
          role: actor.role,
          roleLabel: ROLE_LABELS[actor.role],
          scopeLabel: null as string | null,
        }
      : null,
    nav: actor ? navigationFor(actor.role) : [],
  };
}

function Document({ children, title }: { children: React.ReactNode; title?: string }) {
  const nonce = useNonce();
  return (
    <html lang="it">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <Document>
      <Layout organizationName={data.organizationName} branding={data.branding} user={data.user} nav={data.nav}>
        <Outlet />
      </Layout>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData("root") as RootLoaderData | undefined;
  let title = "Si è verificato un errore";
  let message = "Riprovare tra qualche istante. Se il problema persiste, contattare l'assistenza.";
  if (isRouteErrorResponse(error)) {
    if (error.status === 403) title = "Accesso non consentito";
    if (error.status === 404) title = "Pagina non trovata";
    // Remix's own 404 says "Error: No route matches URL …" in English: never show it.
    if (typeof error.data === "string" && error.data && !error.data.startsWith("Error:")) message = error.data;
    else if (error.status === 404) message = "La pagina richiesta non esiste o è stata spostata.";
  }
  return (
    <Document title={`${title} — Monitoraggio pratiche`}>
      <Layout organizationName={data?.organizationName ?? "Monitoraggio pratiche"} branding={data?.branding} user={data?.user ?? null} nav={data?.nav ?? []}>
        <div className="alert alert-danger" role="alert">
          <h1 className="h3">{title}</h1>
          <p className="mb-0">{message}</p>
        </div>
      </Layout>
    </Document>
  );
}
