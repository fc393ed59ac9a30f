import { z } from "zod";
import { optionalText, requiredText } from "~/lib/form-schema";
import { TICKET_CATEGORIES } from "~db/schema";

/** What people read for each category and for each state of a ticket. */
export const CATEGORY_LABELS: Record<(typeof TICKET_CATEGORIES)[number], string> = {
  tecnica: "Tecnica (accesso, errori, funzionamento della piattaforma)",
  funzionale: "Funzionale (come si fa un'operazione, flussi, pratiche)",
  giuridica: "Giuridica (norme, bandi, obblighi)",
};

export const TICKET_STATE_LABELS = {
  new: "Ricevuta",
  in_charge: "In lavorazione",
  waiting: "In attesa di informazioni",
  answered: "Risposta inviata",
  closed: "Chiusa",
} as const;

export const CHANNEL_LABELS = { web: "Sito web", telefono: "Telefono (Numero Verde)" } as const;

const requiredBody = (label: string) =>
  optionalText(label, 10_000).refine((v) => v.length > 0, { message: `${label}: campo obbligatorio` });

const email = z
  .string({ message: "E-mail: campo obbligatorio" })
  .trim()
  .min(1, "E-mail: campo obbligatorio")
  .max(200, "E-mail: al massimo 200 caratteri")
  .pipe(z.email({ message: "E-mail: indirizzo non valido" }));

const category = z.enum(TICKET_CATEGORIES, { message: "Categoria: scegliere tecnica, funzionale o giuridica" });

/** The ticket form of the public and the reserved area; the sender's name and e-mail come from the session when signed in. */
export const ticketForm = z.object({
  name: requiredText("Nome e cognome", 120),
  email,
  category,
  subject: requiredText("Oggetto", 200),
  body: requiredBody("Testo"),
  pratica: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^\d{1,15}$/, "Pratica non valida").optional()),
  caricamento: z.preprocess((v) => (v === "" ? undefined : v), z.uuid({ message: "Caricamento non valido" }).optional()),
  domanda: z.preprocess((v) => (v === "" ? undefined : v), z.uuid({ message: "Domanda non valida" }).optional()),
});

/** A call to the Numero Verde, entered by an operator: the caller's e-mail is optional, a phone number required. */
export const phoneTicketForm = z.object({
  name: requiredText("Nome e cognome di chi chiama", 120),
  email: z.preprocess((v) => (v === "" ? undefined : v), email.optional()),
  phone: requiredText("Telefono", 30).pipe(z.string().regex(/^\+?[0-9 ./-]{6,30}$/, "Telefono: solo cifre, spazi e + . / -")),
  category,
  subject: requiredText("Oggetto", 200),
  body: requiredBody("Testo"),
});

export const messageForm = z.object({ body: requiredBody("Testo") });
export const optionalMessageForm = z.object({ body: optionalText("Testo", 10_000) });
export const assignForm = z.object({ userId: z.uuid({ message: "Operatore: scegliere un operatore della coda" }) });
