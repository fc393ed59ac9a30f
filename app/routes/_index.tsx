import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getSignedIn } from "~/auth/guards.server";
import { navigationFor, ROLE_LABELS } from "~/auth/permissions";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Home — Monitoraggio pratiche" }];

const DESCRIPTIONS: Record<string, string> = {
  "/caricamenti/nuovo": "Invia il flusso di alimentazione con lo stato delle pratiche e segui l'elaborazione.",
  "/caricamenti": "I file inviati, con l'esito: accettati con i conteggi o rifiutati con gli errori.",
  "/pratiche": "Ricerca delle pratiche per codice o beneficiario, con la storia dei passaggi di stato.",
  "/monitoraggio": "Cruscotto: pratiche per stato, importi, flussi settimanali, tempi, passaggi di stato e tempestività degli enti.",
  "/enti": "Anagrafica degli enti gestori, misure per cui sono accreditati e operatori abilitati.",
  "/token-api": "Token per l'invio automatico dei flussi dal software gestionale dell'ente.",
  "/admin/audit": "Registro di accessi e operazioni: consultazione, filtri ed esportazione CSV.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await getSignedIn(request);
  if (!signedIn) return { user: null, items: [] };
  const { actor } = signedIn;
  return {
    user: { name: actor.name, roleLabel: ROLE_LABELS[actor.role] },
    items: navigationFor(actor.role).map((i) => ({ ...i, description: DESCRIPTIONS[i.to] ?? "" })),
  };
}

export default function Home() {
  const { user, items } = useLoaderData<typeof loader>();
  if (!user) {
    return (
      <>
        <PageTitle lead="La piattaforma con cui enti gestori e uffici regionali seguono le pratiche di finanziamento alle imprese.">
          Monitoraggio pratiche
        </PageTitle>
        <p>
          Gli enti gestori inviano lo stato delle pratiche; funzionari e dirigenti ne seguono l'andamento. L'accesso è
          riservato alle persone abilitate e avviene con identità digitale SPID o CIE.
        </p>
        <Link className="btn btn-primary" to="/accedi">
          Accedi con SPID o CIE
        </Link>
      </>
    );
  }
  return (
    <>
      <PageTitle lead={`Profilo: ${user.roleLabel}`}>Benvenuto, {user.name}</PageTitle>
      <div className="row">
        {items.map((item) => (
          <div className="col-12 col-md-6 col-lg-4 mb-3" key={item.to}>
            <div className="card-wrapper card-space">
              <div className="card card-bg">
                <div className="card-body">
                  <h2 className="card-title h5">
                    <Link to={item.to}>{item.label}</Link>
                  </h2>
                  <p className="card-text">{item.description}</p>
                </div>
              </div>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}
