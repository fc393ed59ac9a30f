import { eq } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit/audit.server";
import { getConfig } from "~/config.server";
import { parseFields, StaleEditError } from "~/lib/errors";
import { formVersion, linkLines, optionalText, requiredText, urlOrPath } from "~/lib/form-schema";
import type { ChangeAuthor } from "~/audit/audit.server";
import { getDb, type DbOrTx } from "~db/client";
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
  const [row] = await db.select().from(branding).where(eq(branding.id, 1));
  if (!row) return defaultBranding();
  const { id: _id, updatedAt: _u, ...rest } = row;
  return rest;
}

/** The branding the layout shows (process-wide pool). */
export function currentBranding() {
  return getBranding(getDb());
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
  return db.transaction(async (tx) => {
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
}
