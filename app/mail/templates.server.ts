import fs from "node:fs";
import path from "node:path";
import { and, asc, desc, eq } from "drizzle-orm";
import Handlebars from "handlebars";
import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { getConfig } from "~/config.server";
import { templateTitle } from "./template-titles";
import { FieldErrors, InputError, parseFields, StaleEditError } from "~/lib/errors";
import { formVersion } from "~/lib/form-schema";
import type { ChangeAuthor } from "~/audit/audit.server";
import type { DbOrTx } from "~db/client";
import { mailTemplateHistory, mailTemplateOverrides, users } from "~db/schema";
import {
  compileSource,
  defaultSource,
  isTemplateName,
  renderCompiled,
  TEMPLATE_PARTS,
  TEMPLATES_DIR,
  TemplateError,
  type TemplatePart,
  type TemplateSource,
} from "./render.server";

/**
 * Administrators edit mail templates over the file defaults (docs/decisions/0019): each save
 * is checked (syntax, and a strict render with the template's sample data), versioned, kept in
 * the history and audited; a reset removes the override and the file applies again.
 */

const PART_LABELS: Record<TemplatePart, string> = { subject: "Oggetto", html: "Testo HTML", text: "Testo semplice" };

/** Every template shipped in templates/mail. */
export function templateNames(): string[] {
  if (!fs.existsSync(TEMPLATES_DIR)) return [];
  return fs
    .readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && isTemplateName(d.name) && fs.existsSync(path.join(TEMPLATES_DIR, d.name, "subject.hbs")))
    .map((d) => d.name)
    .sort();
}

const SAMPLE_ORIGIN = "http://localhost:3000";

/**
 * The sample data of a template (templates/mail/<name>/sample.json), used by preview and checks.
 * Its links are written against a placeholder origin and shown against this platform's BASE_URL.
 */
export function sampleData(name: string): Record<string, unknown> | null {
  const file = path.join(TEMPLATES_DIR, name, "sample.json");
  if (!fs.existsSync(file)) return null;
  const json = fs.readFileSync(file, "utf8").replaceAll(SAMPLE_ORIGIN, getConfig().baseUrl);
  return JSON.parse(json) as Record<string, unknown>;
}

function requireTemplate(name: string) {
  if (!isTemplateName(name) || !templateNames().includes(name)) throw new InputError(`Modello «${name}» inesistente`);
}

export async function templateState(db: DbOrTx, name: string) {
  requireTemplate(name);
  const [override] = await db.select().from(mailTemplateOverrides).where(eq(mailTemplateOverrides.name, name));
  const file = defaultSource(name);
  return {
    name,
    current: override ? { subject: override.subject, html: override.html, text: override.text } : file,
    file,
    overridden: Boolean(override),
    // 0 stands for "no override yet": saving then creates it.
    version: override?.version ?? 0,
    updatedAt: override?.updatedAt ?? null,
  };
}

export async function templateHistory(db: DbOrTx, name: string) {
  return db
    .select({
      id: mailTemplateHistory.id,
      action: mailTemplateHistory.action,
      subject: mailTemplateHistory.subject,
      changedAt: mailTemplateHistory.changedAt,
      byName: users.name,
      bySurname: users.surname,
    })
    .from(mailTemplateHistory)
    .leftJoin(users, eq(users.id, mailTemplateHistory.changedBy))
    .where(eq(mailTemplateHistory.name, name))
    .orderBy(desc(mailTemplateHistory.id));
}

export async function templateList(db: DbOrTx) {
  const overrides = await db.select({ name: mailTemplateOverrides.name, updatedAt: mailTemplateOverrides.updatedAt }).from(mailTemplateOverrides).orderBy(asc(mailTemplateOverrides.name));
  return templateNames().map((name) => {
    const o = overrides.find((x) => x.name === name);
    return { name, title: templateTitle(name), overridden: Boolean(o), updatedAt: o?.updatedAt ?? null, subject: defaultSource(name).subject.trim() };
  });
}

const part = (p: TemplatePart) => z.string({ message: `${PART_LABELS[p]}: campo obbligatorio` }).max(100_000, `${PART_LABELS[p]}: troppo lungo`);

export const templateInput = z.object({
  subject: part("subject").trim().min(1, "Oggetto: campo obbligatorio").max(300, "Oggetto: al massimo 300 caratteri"),
  html: part("html").refine((s) => s.trim().length > 0, "Testo HTML: campo obbligatorio"),
  text: part("text").refine((s) => s.trim().length > 0, "Testo semplice: campo obbligatorio"),
});

export const templateEdit = templateInput.extend({ version: formVersion });

/**
 * Checks a template source: each part must parse (Handlebars precompile), and render strictly
 * with the sample data, so a misspelt variable is caught on save rather than when mail is sent.
 * Returns the rendering of the sample; throws FieldErrors naming the faulty part.
 */
export function checkTemplate(name: string, source: TemplateSource) {
  const errors: Record<string, string> = {};
  for (const p of TEMPLATE_PARTS) {
    try {
      Handlebars.precompile(source[p], { strict: true });
      if (hasUnescapedOutput(source[p]))
        errors[p] = `${PART_LABELS[p]}: le variabili non si possono inserire senza protezione ({{{…}}} o {{&…}}): usare {{…}}`;
    } catch (e) {
      errors[p] = `${PART_LABELS[p]}: ${italianSyntaxError(e)}`;
    }
  }
  if (Object.keys(errors).length) throw new FieldErrors(errors);
  const sample = sampleData(name);
  if (!sample) return null;
  const compiled = compileSource(source);
  for (const p of TEMPLATE_PARTS) {
    try {
      compiled[p](sample);
    } catch (e) {
      errors[p] = `${PART_LABELS[p]}: ${italianRenderError(e)}`;
    }
  }
  if (Object.keys(errors).length) throw new FieldErrors(errors);
  return renderCompiled(name, compiled, sample);
}

/**
 * Whether a template writes a value without HTML escaping: `{{{x}}}`, `{{&x}}` (and their `~`
 * forms) or a raw block. A variable such as a revocation reason could then carry links and
 * tracking images into the mail (docs/decisions/0043). Read from the parsed template, not the text.
 */
function hasUnescapedOutput(source: string) {
  let found = false;
  class Finder extends Handlebars.Visitor {
    MustacheStatement(node: hbs.AST.MustacheStatement) {
      if (!node.escaped) found = true;
      return super.MustacheStatement(node);
    }
  }
  new Finder().accept(Handlebars.parse(source));
  return found || /\{\{\{\{/.test(source);
}

function firstLine(e: unknown) {
  return (e instanceof Error ? e.message : String(e)).split("\n").filter(Boolean).slice(0, 2).join(" ").slice(0, 300);
}

/** Handlebars explains a syntax error in parser terms ("Expecting 'CLOSE'…"): say it in Italian. */
export function italianSyntaxError(e: unknown) {
  const m = e instanceof Error ? e.message : String(e);
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):/.exec(m);
  if (mismatch) return `errore di sintassi alla riga ${mismatch[3]}: il blocco «${mismatch[1]}» è chiuso da {{/${mismatch[2]}}}`;
  const line = /on line (\d+)/.exec(m)?.[1];
  const where = line ? ` alla riga ${line}` : "";
  if (/got 'EOF'/.test(m)) return `errore di sintassi${where}: un blocco aperto con {{#…}} non è chiuso da {{/…}}`;
  if (/got 'CLOSE_UNESCAPED'/.test(m)) return `errore di sintassi${where}: una parentesi graffa } di troppo`;
  if (/got 'INVALID'|Expecting 'CLOSE/.test(m)) return `errore di sintassi${where}: una variabile {{…}} non è chiusa da due parentesi graffe }}`;
  return `errore di sintassi${where}: controllare le parentesi graffe {{ }} e i blocchi {{#…}} {{/…}}`;
}

function italianRenderError(e: unknown) {
  const m = e instanceof Error ? e.message : String(e);
  const missing = /"([^"]+)" not defined in/.exec(m);
  if (missing) return `la variabile «${missing[1]}» non è disponibile per questo modello`;
  return firstLine(e);
}

/** Renders an unsaved source with the sample data, for the preview; never writes. */
export function previewTemplate(name: string, raw: unknown) {
  requireTemplate(name);
  const input = parseFields(templateInput, raw);
  const rendered = checkTemplate(name, input);
  if (!rendered) throw new InputError("Questo modello non ha dati di esempio (sample.json): anteprima non disponibile");
  return rendered;
}

export async function saveTemplate(db: DbOrTx, who: ChangeAuthor & { actor?: { userId?: string | null } | null }, name: string, raw: unknown) {
  requireTemplate(name);
  const input = parseFields(templateEdit, raw);
  const source = { subject: input.subject, html: input.html, text: input.text };
  checkTemplate(name, source);
  return db.transaction(async (tx) => {
    const by = who.actor?.userId ?? null;
    let saved;
    if (input.version === 0) {
      [saved] = await tx.insert(mailTemplateOverrides).values({ name, ...source, version: 1, updatedBy: by }).onConflictDoNothing().returning();
    } else {
      [saved] = await tx
        .update(mailTemplateOverrides)
        .set({ ...source, version: input.version + 1, updatedBy: by, updatedAt: new Date() })
        .where(and(eq(mailTemplateOverrides.name, name), eq(mailTemplateOverrides.version, input.version)))
        .returning();
    }
    if (!saved) throw new StaleEditError();
    await tx.insert(mailTemplateHistory).values({ name, action: "save", ...source, changedBy: by });
    await audit(tx, who, { action: "mail_template.save", objectType: "mail_template", objectId: name, details: { version: saved.version } });
    return saved;
  });
}

/** Removes the administrator's version: the file default applies again. */
export async function resetTemplate(db: DbOrTx, who: ChangeAuthor & { actor?: { userId?: string | null } | null }, name: string, rawVersion: unknown) {
  requireTemplate(name);
  const version = parseFields(z.object({ version: formVersion }), { version: rawVersion }).version;
  return db.transaction(async (tx) => {
    const [gone] = await tx.delete(mailTemplateOverrides).where(eq(mailTemplateOverrides.name, name)).returning();
    if (!gone) {
      if (version === 0) return false;
      throw new StaleEditError();
    }
    if (gone.version !== version) throw new StaleEditError();
    await tx.insert(mailTemplateHistory).values({ name, action: "reset", changedBy: who.actor?.userId ?? null });
    await audit(tx, who, { action: "mail_template.reset", objectType: "mail_template", objectId: name, details: { version } });
    return true;
  });
}

export { TemplateError };
