import { and, eq } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import { audit, type ChangeAuthor } from "~/audit/audit.server";
import { ACCESS_BINDING, startMachine } from "~/machines/runner.server";
import { drizzleOver } from "~db/client";
import { accesses, applicantProfiles, users } from "~db/schema";
import { ACCESS_MACHINE_VERSION } from "~workflows/access.machine";

export type SpidPerson = { fiscalCode: string; name: string; surname: string; email: string };

/** Where an applicant lands after signing in, and the paths that belong to the applicant's area. */
export const APPLICANT_HOME = "/area-personale";
const APPLICANT_PATHS = [APPLICANT_HOME, "/domande"];

export function isApplicantPath(path: string) {
  return APPLICANT_PATHS.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));
}

/**
 * The applicant's access (role richiedente, no scope, no term) of a person signing in with
 * SPID/CIE without any enablement: created at the first sign-in with the person and the
 * applicant profile, from the SAML attributes; found afterwards. No enablement is needed.
 */
export async function ensureApplicant(tx: TransactionSql, person: SpidPerson, who: ChangeAuthor, now: Date) {
  const db = drizzleOver(tx);
  await db
    .insert(users)
    .values({ fiscalCode: person.fiscalCode, name: person.name, surname: person.surname, email: person.email })
    .onConflictDoNothing({ target: users.fiscalCode });
  const [user] = await db.select().from(users).where(eq(users.fiscalCode, person.fiscalCode)).for("update");
  const [existing] = await db
    .select()
    .from(accesses)
    .where(and(eq(accesses.userId, user!.id), eq(accesses.role, "richiedente"), eq(accesses.status, "active")));
  if (existing) return { user: user!, access: existing, created: false };
  const profile = await db
    .insert(applicantProfiles)
    .values({ userId: user!.id, contactEmail: person.email || null })
    .onConflictDoNothing()
    .returning();
  if (profile.length) {
    await audit(db, who, { action: "applicant.create", objectType: "user", objectId: user!.id });
  }
  const { row: access } = await startMachine(tx, ACCESS_BINDING, {
    input: { expiresAt: null },
    at: now,
    who,
    details: { role: "richiedente" },
    create: async (d, snapshot) =>
      (await d
        .insert(accesses)
        .values({ userId: user!.id, role: "richiedente", status: "active", validFrom: now, snapshot: { ...snapshot, version: ACCESS_MACHINE_VERSION } })
        .returning())[0]!,
  });
  return { user: user!, access, created: true };
}
