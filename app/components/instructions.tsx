import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import type { RootLoaderData } from "~/lib/root-data";
import { PageTitle } from "./layout";
import { Breadcrumb } from "./breadcrumb";

export const INSTRUCTIONS = [
  { to: "/istruzioni/accesso", title: "Come accedere con SPID, CIE o CNS", lead: "Chi può accedere all'area riservata e come." },
  { to: "/istruzioni/abilitazione-operatori", title: "Abilitazione degli operatori di un ente gestore", lead: "Come un ente gestore chiede di abilitare i propri operatori." },
  { to: "/istruzioni/accesso-funzionari", title: "Accesso dei funzionari regionali", lead: "Come un dirigente chiede l'accesso per i funzionari della propria struttura." },
  { to: "/istruzioni/domande-frequenti", title: "Domande frequenti", lead: "Le risposte dell'help desk alle domande più comuni, con la ricerca." },
  { to: "/istruzioni/formato-flusso", title: "Specifiche del flusso di alimentazione", lead: "Il tracciato del file con lo stato delle pratiche, con un file di esempio." },
  { to: "/istruzioni/verifica-file", title: "Verifica il file sul tuo computer", lead: "Controlla un file del flusso prima di inviarlo, senza che lasci il computer; anche come script per Node.js." },
];

export function useContactEmail() {
  const root = useRouteLoaderData("root") as RootLoaderData | undefined;
  return root?.branding.contactEmail ?? "";
}

export function InstructionPage({ title, lead, children }: { title: string; lead?: string; children: ReactNode }) {
  return (
    <>
      <Breadcrumb trail={[{ to: "/", label: "Home" }, { to: "/istruzioni", label: "Istruzioni" }]} current={title} />
      <PageTitle lead={lead}>{title}</PageTitle>
      {children}
    </>
  );
}
