import { z } from "zod";
import { optionalText, requiredText } from "~/lib/form-schema";
import { TICKET_CATEGORIES } from "~db/schema";

/** An administrator's frequent answer: question and answer in Italian, an optional category. */
export const faqForm = z.object({
  question: requiredText("Domanda", 300),
  answer: optionalText("Risposta", 10_000).refine((v) => v.length > 0, { message: "Risposta: campo obbligatorio" }),
  category: z.preprocess((v) => (v === "" ? undefined : v), z.enum(TICKET_CATEGORIES, { message: "Categoria non valida" }).optional()),
  intent: z.enum(["draft", "publish", "unpublish"], { message: "Operazione non valida" }),
});
