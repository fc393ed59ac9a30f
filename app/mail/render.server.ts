import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";

/**
 * Mail templates: `templates/mail/<name>/subject.hbs`, `html.hbs` and `text.hbs`, Italian.
 * Strict mode makes a missing variable an error, so a template and its callers cannot drift
 * apart unnoticed; the HTML part is escaped, the subject and text parts are not (plain text).
 */
const TEMPLATES_DIR = path.resolve(process.env.TEMPLATES_DIR ?? "templates", "mail");
const NAME = /^[a-z0-9-]+$/;

type Compiled = { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate };
const cache = new Map<string, Compiled>();

export class TemplateError extends Error {}

function compiled(name: string): Compiled {
  const hit = cache.get(name);
  if (hit) return hit;
  if (!NAME.test(name)) throw new TemplateError(`nome di modello non valido: «${name}»`);
  const read = (part: string) => {
    const file = path.join(TEMPLATES_DIR, name, `${part}.hbs`);
    if (!fs.existsSync(file)) throw new TemplateError(`modello «${name}»: manca ${part}.hbs`);
    return fs.readFileSync(file, "utf8");
  };
  const c: Compiled = {
    subject: Handlebars.compile(read("subject"), { strict: true, noEscape: true }),
    html: Handlebars.compile(read("html"), { strict: true }),
    text: Handlebars.compile(read("text"), { strict: true, noEscape: true }),
  };
  cache.set(name, c);
  return c;
}

export type RenderedMail = { subject: string; html: string; text: string };

/** Renders a template; throws TemplateError when it is missing or a variable it uses is absent. */
export function renderMail(name: string, data: Record<string, unknown>): RenderedMail {
  const c = compiled(name);
  try {
    return { subject: c.subject(data).trim().replace(/\s+/g, " "), html: c.html(data), text: c.text(data) };
  } catch (e) {
    throw new TemplateError(`modello «${name}»: ${e instanceof Error ? e.message : String(e)}`);
  }
}
