import { z } from "zod";
import { forbiddenCharacter, forbiddenCharacterMessage } from "./text-safety";

/** Refuses what PostgreSQL or a page could not hold (docs/decisions/0045); a textarea may span lines. */
const storable = (label: string, multiline: boolean) => (s: string, ctx: z.RefinementCtx) => {
  const char = forbiddenCharacter(s, { multiline });
  if (char) ctx.addIssue({ code: "custom", message: forbiddenCharacterMessage(label, char) });
};

/**
 * zod pieces for administration forms: they accept what a browser posts (strings, empty for
 * "not given") and what code passes, and speak Italian next to the field.
 */
export const requiredText = (label: string, max = 200) =>
  z
    .string({ message: `${label}: campo obbligatorio` })
    .trim()
    .min(1, `${label}: campo obbligatorio`)
    .max(max, `${label}: al massimo ${max} caratteri`)
    .superRefine(storable(label, false));

export const optionalText = (label: string, max = 5000) =>
  z
    .string()
    .trim()
    .max(max, `${label}: al massimo ${max} caratteri`)
    .superRefine(storable(label, true))
    .optional()
    .transform((v) => v ?? "");

const blankToNull = (v: unknown) => (v === "" || v === undefined ? null : v);

export const optionalUuid = (message: string) => z.preprocess(blankToNull, z.uuid({ message }).nullable());

export const optionalInt = (label: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? null : /^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN) : blankToNull(v)),
    z
      .number({ message: `${label}: indicare un numero intero` })
      .int(`${label}: indicare un numero intero`)
      .min(min, `${label}: almeno ${min}`)
      .max(max, `${label}: al massimo ${max}`)
      .nullable(),
  );

export const requiredInt = (label: string, min: number, max: number) =>
  optionalInt(label, min, max).refine((v) => v !== null, `${label}: campo obbligatorio`).transform((v) => v as number);

/** ISO date (the value of an <input type="date">), or null when left empty. */
export const optionalDate = (label: string) =>
  z.preprocess(
    blankToNull,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}: data non valida`)
      .refine((s) => {
        const d = new Date(`${s}T00:00:00Z`);
        return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
      }, `${label}: data non valida`)
      .nullable(),
  );

/** A checkbox: present ("on", "true") means true. */
export const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

/** The version the form was loaded with (optimistic concurrency). */
export const formVersion = z.preprocess(
  (v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
  z.number({ message: "Versione del modulo mancante: ricaricare la pagina" }).int().min(0),
);

const httpUrl = (s: string) => {
  if (s.startsWith("/") && !s.startsWith("//")) return true;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
};

export const urlOrPath = (label: string) =>
  z.string().trim().max(500, `${label}: al massimo 500 caratteri`).refine((s) => s === "" || httpUrl(s), `${label}: indicare un indirizzo https://… o un percorso che inizia con /`);

export type LabelledLink = { label: string; url: string };

/**
 * Links typed one per line as «Etichetta | https://indirizzo» (a textarea is keyboard-friendly
 * and grows without extra widgets); an array of objects is accepted as well.
 */
export const linkLines = (label: string, max = 20) =>
  z
    .union([z.string(), z.array(z.object({ label: z.string(), url: z.string() }))])
    .optional()
    .transform((v, ctx): LabelledLink[] => {
      if (v === undefined) return [];
      const rows = typeof v === "string" ? v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : v;
      const out: LabelledLink[] = [];
      rows.forEach((row, i) => {
        let text: string;
        let url: string;
        if (typeof row === "string") {
          const bar = row.lastIndexOf("|");
          text = bar >= 0 ? row.slice(0, bar).trim() : "";
          url = bar >= 0 ? row.slice(bar + 1).trim() : row;
        } else {
          text = row.label.trim();
          url = row.url.trim();
        }
        if (!text || !url || !httpUrl(url) || text.length > 200)
          ctx.addIssue({ code: "custom", message: `${label}: riga ${i + 1} non valida, usare «Etichetta | https://indirizzo»` });
        else out.push({ label: text, url });
      });
      if (out.length > max) ctx.addIssue({ code: "custom", message: `${label}: al massimo ${max} righe` });
      return out;
    });

export const linksToLines = (links: LabelledLink[]) => links.map((l) => `${l.label} | ${l.url}`).join("\n");
