/** Pieces shared by the local-account pages (ADR 0067). */
export const PASSWORD_HINT =
  "Almeno 12 caratteri; non una password comune né il tuo nome, codice fiscale o indirizzo e-mail. Una frase di più parole è facile da ricordare e difficile da indovinare.";

/** Recovery codes, shown once: the person must keep them before leaving the page. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div className="callout important" role="region" aria-labelledby="recovery-codes-title">
      <div className="callout-title" id="recovery-codes-title">
        I tuoi codici di recupero
      </div>
      <p>
        Conservali in un posto sicuro, separato dal telefono: se perdi l'app, ognuno di questi codici permette un solo accesso.
        Non li mostreremo più.
      </p>
      <ul className="list-unstyled font-monospace fs-5 mb-0" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </div>
  );
}
