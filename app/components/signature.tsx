import type { SignatureView } from "~/signatures/view";
import { formatDate, formatDateTime } from "./labels";

const VERDICT_TEXT: Record<SignatureView["verdict"], string> = {
  non_valida: "Firma non valida",
  revocata: "Firma non valida: certificato revocato prima della firma",
  non_verificata: "Firma integra; certificato non verificato con l'elenco di fiducia",
  verificata: "Firma integra; certificato verificato",
};

type Signer = SignatureView["signers"][number];

/** What is known of a signer's certificate revocation: never "not revoked" without a current list. */
function revocationText(r: Signer["revocation"]) {
  if (r.status === "good") return `certificato non revocato (elenco di revoca del ${formatDateTime(r.listDate)})`;
  if (r.status === "revoked") return `certificato revocato il ${formatDateTime(r.revokedAt)}${r.beforeSigning ? "" : ", dopo la marca temporale della firma"}`;
  return "revoca non verificabile (nessun elenco di revoca aggiornato dell'autorità)";
}

function timestampText(t: NonNullable<Signer["timestamp"]>) {
  return t.intact ? `marca temporale di ${t.authority} del ${formatDateTime(t.time)}` : "marca temporale presente ma non valida";
}

/** What the platform found in a signed document: the verdict, then each signer. A broken signature is shown, never hidden. */
export function SignatureNote({ view, contentHref }: { view: SignatureView; contentHref: string | null }) {
  const tone = view.verdict === "non_valida" || view.verdict === "revocata" ? "text-danger" : view.verdict === "verificata" ? "text-success" : "text-body";
  return (
    <div className="small mt-1" data-testid="signature">
      <strong className={tone}>{view.verdict === "non_valida" && view.problem ? view.problem : VERDICT_TEXT[view.verdict]}</strong>
      <ul className="mb-1 ps-3 small">
        {view.signers.map((s, i) => (
          <li key={i}>
            Firmato da {s.name}
            {s.fiscalCode ? ` (codice fiscale ${s.fiscalCode})` : ""}
            {s.signingTime ? ` il ${formatDateTime(s.signingTime)} (data dichiarata dal firmatario)` : ""}; certificato valido dal {formatDate(s.notBefore.slice(0, 10))} al {formatDate(s.notAfter.slice(0, 10))}
            {s.intact ? "" : " — firma alterata"}; {s.timestamp ? `${timestampText(s.timestamp)}; ` : ""}
            <span data-testid="revocation">{revocationText(s.revocation)}</span>
          </li>
        ))}
      </ul>
      {contentHref && view.format === "cades" ? <a href={contentHref}>Scarica il documento firmato nel formato originale</a> : null}
    </div>
  );
}
