import { z } from "zod";
import { fiscalCodeMatchesName, nameCode, personalFiscalCodeSchema, surnameCode } from "~/lib/fiscal-code";

// Pure module: shared by the server and the forms (row-by-row CSV checks, the typo catcher).

const personName = (label: string) =>
  z
    .string({ message: `${label} obbligatorio` })
    .trim()
    .min(1, `${label} obbligatorio`)
    .max(100, `${label}: al massimo 100 caratteri`)
    .regex(/^[\p{L}' .-]+$/u, `${label}: solo lettere, spazi, apostrofi e trattini`);

/** One person to enable, as a requester types them. */
export const personInput = z.object({
  surname: personName("Cognome"),
  name: personName("Nome"),
  fiscalCode: z.string({ message: "Codice fiscale obbligatorio" }).pipe(personalFiscalCodeSchema),
  email: z.string({ message: "E-mail obbligatoria" }).trim().pipe(z.email({ message: "Indirizzo e-mail non valido" })),
});
export type PersonInput = z.output<typeof personInput>;

/**
 * The typo catcher: null when the code's surname and name letters match the given names,
 * otherwise an Italian warning naming the letters the names would give.
 */
export function nameMismatch(p: { fiscalCode: string; surname: string; name: string }): string | null {
  if (fiscalCodeMatchesName(p.fiscalCode, p.surname, p.name)) return null;
  return `Il codice fiscale ${p.fiscalCode} non corrisponde a cognome e nome indicati (ci si attendeva che iniziasse con ${surnameCode(p.surname)}${nameCode(p.name)}): controllare i dati o confermare che sono corretti.`;
}
