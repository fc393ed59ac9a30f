import type { MetaFunction } from "@remix-run/node";
import { useRouteLoaderData } from "@remix-run/react";
import { PageTitle } from "~/components/layout";
import type { RootLoaderData } from "~/lib/root-data";

export const meta: MetaFunction = () => [{ title: "Dichiarazione di accessibilità — Monitoraggio pratiche" }];

export default function Accessibility() {
  const root = useRouteLoaderData("root") as RootLoaderData | undefined;
  const body = root?.organizationName ?? "L'ente";
  const contact = root?.branding.contactEmail ?? "";
  return (
    <>
      <PageTitle lead={`${body} si impegna a rendere accessibile questo servizio, in conformità alla Legge 4/2004 e alle Linee guida AgID.`}>
        Dichiarazione di accessibilità
      </PageTitle>
      <h2 className="h4">Stato di conformità</h2>
      <p>
        Il servizio è progettato per essere conforme ai requisiti WCAG 2.1 livello AA (norma UNI EN 301549). Le pagine pubbliche sono verificate
        automaticamente a ogni modifica del software con lo strumento axe-core; la verifica manuale con tastiera e lettori di schermo è in corso.
      </p>
      <h2 className="h4">Contenuti non accessibili</h2>
      <p>
        La specifica tecnica del flusso di alimentazione è pubblicata in lingua inglese. Non sono noti altri contenuti non accessibili: se ne trovi,
        segnalacelo.
      </p>
      <h2 className="h4">Feedback e contatti</h2>
      <p>
        Per segnalare problemi di accessibilità o chiedere informazioni in formato accessibile
        {contact ? (
          <>
            {" "}
            scrivi a <a href={`mailto:${contact}`}>{contact}</a>
          </>
        ) : null}
        . Se la risposta non è soddisfacente puoi rivolgerti al Difensore civico per il digitale presso AgID.
      </p>
    </>
  );
}
