import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import type { Sql, TransactionSql } from "postgres";
import { getSql } from "~db/client";

/**
 * Mail templates: `templates/mail/<name>/subject.hbs`, `html.hbs` and `text.hbs`, Italian, are
 * the defaults; an administrator's version in `mail_template_overrides` wins over them
 * (docs/decisions/0019). Strict mode makes a missing variable an error, so a template and its
 * callers cannot drift apart unnoticed; the HTML part is escaped, subject and text are not.
 */
export const TEMPLATES_DIR = path.resolve(process.env.TEMPLATES_DIR ?? "templates", "mail");
const NAME = /^[a-z0-9-]+$/;

export const TEMPLATE_PARTS = ["subject", "html", "text"] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];
export type TemplateSource = Record<TemplatePart, string>;

type Compiled = Record<TemplatePart, HandlebarsTemplateDelegate>;
const fileCache = new Map<string, Compiled>();
const overrideCache = new Map<string, Compiled>();

export class TemplateError extends Error {}

export function isTemplateName(name: string) {
  return NAME.test(name);
}

/** The file default of a template; throws TemplateError when it does not exist. */
export function defaultSource(name: string): TemplateSource {
  if (!NAME.test(name)) throw new TemplateError(`nome di modello non valido: «${name}»`);
  const read = (part: string) => {
    const file = path.join(TEMPLATES_DIR, name, `${part}.hbs`);
    if (!fs.existsSync(file)) throw new TemplateError(`modello «${name}»: manca ${part}.hbs`);
    return fs.readFileSync(file, "utf8");
  };
  return { subject: read("subject"), html: read("html"), text: read("text") };
}

export function compileSource(source: TemplateSource): Compiled {
  return {
    subject: Handlebars.compile(source.subject, { strict: true, noEscape: true }),
    html: Handlebars.compile(source.html, { strict: true }),
    text: Handlebars.compile(source.text, { strict: true, noEscape: true }),
  };
}

function compiledFile(name: string): Compiled {
  const hit = fileCache.get(name);
  if (hit) return hit;
  const c = compileSource(defaultSource(name));
  fileCache.set(name, c);
  return c;
}

export type RenderedMail = { subject: string; html: string; text: string };

export function renderCompiled(name: string, c: Compiled, data: Record<string, unknown>): RenderedMail {
  try {
    return { subject: c.subject(data).trim().replace(/\s+/g, " "), html: c.html(data), text: c.text(data) };
  } catch (e) {
    throw new TemplateError(`modello «${name}»: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function compiledFor(name: string, sql: Sql | TransactionSql): Promise<Compiled> {
  if (!NAME.test(name)) throw new TemplateError(`nome di modello non valido: «${name}»`);
  const [override] = await sql<{ subject: string; html: string; text: string }[]>`
    select subject, html, text from mail_template_overrides where name = ${name}`;
  if (!override) return compiledFile(name);
  // Keyed by content: a reset followed by a new save starts the version again.
  const key = crypto.createHash("sha256").update(JSON.stringify([override.subject, override.html, override.text])).digest("hex");
  let c = overrideCache.get(key);
  if (!c) {
    c = compileSource(override);
    overrideCache.set(key, c);
  }
  return c;
}

/**
 * Renders a template (the administrator's version if there is one, else the file); throws
 * TemplateError when it is missing or a variable it uses is absent. Reads through `sql`, so a
 * caller's transaction sees its own template changes.
 */
export async function renderMail(name: string, data: Record<string, unknown>, sql: Sql | TransactionSql = getSql()): Promise<RenderedMail> {
  return renderCompiled(name, await compiledFor(name, sql), data);
}

/** `renderMail` for many messages of one template, reading the template once. */
export async function renderMails(name: string, data: Record<string, unknown>[], sql: Sql | TransactionSql = getSql()): Promise<RenderedMail[]> {
  const c = await compiledFor(name, sql);
  return data.map((d) => renderCompiled(name, c, d));
}
