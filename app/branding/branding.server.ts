import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { getConfig } from "~/config.server";
import { InputError, parseFields, StaleEditError } from "~/lib/errors";
import { formVersion, linkLines, optionalText, requiredText, urlOrPath } from "~/lib/form-schema";
import type { ChangeAuthor } from "~/audit/audit.server";
import { getDb, type DbOrTx } from "~db/client";
import { notifiedCache } from "~db/notified-cache";
import { branding, type QuickLink } from "~db/schema";

/**
 * The installation's branding (docs/decisions/0020): one row edited by administrators; until
 * the first save the environment's ORGANIZATION_NAME and CONTACT_EMAIL stand in.
 */
export type Branding = {
  bodyName: string;
  logoUrl: string;
  banner: string;
  quickLinks: QuickLink[];
  contactEmail: string;
  accessibilityUrl: string;
  version: number;
};

export function defaultBranding(): Branding {
  const { organization } = getConfig();
  return { bodyName: organization.name, logoUrl: "", banner: "", quickLinks: [], contactEmail: organization.contactEmail, accessibilityUrl: "", version: 0 };
}

export async function getBranding(db: DbOrTx): Promise<Branding> {
  // Never the logo's bytes (up to 512 kB): they are served on their own (LOGO_PATH).
  const [row] = await db
    .select({
      bodyName: branding.bodyName,
      logoUrl: branding.logoUrl,
      banner: branding.banner,
      quickLinks: branding.quickLinks,
      contactEmail: branding.contactEmail,
      accessibilityUrl: branding.accessibilityUrl,
      version: branding.version,
    })
    .from(branding)
    .where(eq(branding.id, 1));
  return row ?? defaultBranding();
}

/** Every page's layout shows it: kept per process until the branding row changes (NOTIFY of migration 0037, docs/decisions/0073). */
const layoutBranding = notifiedCache("branding", getBranding);

/** The branding the layout shows (process-wide pool). */
export function currentBranding() {
  return layoutBranding.get(getDb());
}

export const brandingInput = z.object({
  bodyName: requiredText("Nome dell'ente", 200),
  logoUrl: urlOrPath("Logo"),
  banner: optionalText("Avviso in testata", 1000),
  quickLinks: linkLines("Collegamenti rapidi", 12),
  contactEmail: z.email({ message: "E-mail di contatto: indirizzo non valido" }),
  accessibilityUrl: urlOrPath("Dichiarazione di accessibilità"),
});

export const brandingEdit = brandingInput.extend({ version: formVersion });

export async function saveBranding(db: DbOrTx, who: ChangeAuthor, raw: unknown) {
  const input = parseFields(brandingEdit, raw);
  const { version, ...values } = input;
  const result = await db.transaction(async (tx) => {
    const [saved] =
      version === 0
        ? await tx.insert(branding).values({ id: 1, ...values, version: 1 }).onConflictDoNothing().returning()
        : await tx
            .update(branding)
            .set({ ...values, version: version + 1, updatedAt: new Date() })
            .where(eq(branding.version, version))
            .returning();
    if (!saved) throw new StaleEditError();
    await audit(tx, who, { action: "branding.update", objectType: "branding", objectId: "1", details: { version: saved.version } });
    return saved;
  });
  layoutBranding.forget(); // this process at once; the others on the NOTIFY
  return result;
}

// The uploaded logo (docs/decisions/0054) ---------------------------------------------------------

export const MAX_LOGO_BYTES = 512 * 1024;
export const LOGO_PATH = "/marchio/logo";

/** What an SVG logo may not carry: it is served from our origin, so no script and nothing fetched. */
const SVG_ACTIVE = /<script|<foreignObject|<!ENTITY|<!DOCTYPE|\son[a-z]+\s*=|javascript:|(?:xlink:)?href\s*=\s*["']\s*(?!#|data:image\/(?:png|jpeg);)/i;

/** The logo's content type, from its bytes (never from its name or the browser's word). */
export function logoType(bytes: Buffer): string {
  if (bytes.length === 0) throw new InputError("Il file del logo è vuoto.");
  if (bytes.length > MAX_LOGO_BYTES) throw new InputError("Il logo supera la dimensione massima di 512 KB.");
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  const text = bytes.toString("utf8");
  if (/^\uFEFF?\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(text)) {
    if (SVG_ACTIVE.test(text)) throw new InputError("Il logo SVG contiene script, riferimenti esterni o dichiarazioni non ammesse: esportarlo di nuovo come immagine semplice.");
    return "image/svg+xml";
  }
  throw new InputError("Il logo deve essere un'immagine PNG, JPEG o SVG.");
}

/** Stores the uploaded logo and points the header at it; one transaction with its audit row. */
export async function saveLogo(db: DbOrTx, who: ChangeAuthor, bytes: Buffer) {
  const type = logoType(bytes);
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const logo = { logoBytes: bytes, logoType: type, logoSha256: sha256, logoUrl: `${LOGO_PATH}?v=${sha256.slice(0, 16)}` };
  await db.transaction(async (tx) => {
    const current = await getBranding(tx);
    const { version: _v, ...rest } = current;
    const [saved] = await tx
      .insert(branding)
      .values({ id: 1, ...rest, ...logo, version: 1 })
      .onConflictDoUpdate({ target: branding.id, set: { ...logo, version: sql`${branding.version} + 1`, updatedAt: new Date() } })
      .returning({ version: branding.version });
    await audit(tx, who, { action: "branding.logo", objectType: "branding", objectId: "1", details: { sha256, type, bytes: bytes.length, version: saved!.version } });
  });
  layoutBranding.forget(); // this process at once; the others on the NOTIFY
}

/** Removes the uploaded logo; the header then shows none. */
export async function removeLogo(db: DbOrTx, who: ChangeAuthor) {
  await db.transaction(async (tx) => {
    const [saved] = await tx
      .update(branding)
      .set({ logoBytes: null, logoType: null, logoSha256: null, logoUrl: "", version: sql`${branding.version} + 1`, updatedAt: new Date() })
      .where(eq(branding.id, 1))
      .returning({ version: branding.version });
    if (!saved) throw new InputError("Nessun logo da rimuovere.");
    await audit(tx, who, { action: "branding.logo_remove", objectType: "branding", objectId: "1", details: { version: saved.version } });
  });
  layoutBranding.forget(); // this process at once; the others on the NOTIFY
}

/** The logo as served to browsers (public: it is in every page's header). */
export async function logoResponse(requestedVersion: string | null) {
  const [row] = await getDb().select({ bytes: branding.logoBytes, type: branding.logoType, sha256: branding.logoSha256 }).from(branding).where(eq(branding.id, 1));
  if (!row?.bytes || !row.type || !row.sha256) return new Response("Logo non presente", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const current = requestedVersion === row.sha256.slice(0, 16);
  return new Response(new Uint8Array(row.bytes), {
    headers: {
      "Content-Type": row.type,
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "no-cache",
      ETag: `"${row.sha256}"`,
      "X-Content-Type-Options": "nosniff",
      // Opened on its own, an SVG still runs nothing.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
