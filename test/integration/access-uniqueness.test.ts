import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~db/client";
import { accesses } from "~db/schema";
import { seedDemo, TERRITORIAL_PEOPLE, userOf } from "../support/actors";

beforeAll(seedDemo);

/** A copy of one of the person's active accesses, as a second grant would write it. */
async function duplicateOf(fiscalCode: string, territoryCode: string | null) {
  const user = await userOf(fiscalCode);
  const [a] = await getDb().select().from(accesses).where(and(eq(accesses.userId, user.id), eq(accesses.status, "active")));
  const { id: _id, createdAt: _c, ...rest } = a!;
  return { ...rest, territoryCode: territoryCode ?? rest.territoryCode };
}

const activeCount = async () => Number((await getDb().execute<{ n: string }>(sql`select count(*)::text n from accesses where status = 'active'`))[0]!.n);

describe("one active access per person, role and scope", () => {
  it("also for a territory: a second active access to the same Region is refused, one to another Region is not", async () => {
    const before = await activeCount();
    const same = await duplicateOf(TERRITORIAL_PEOPLE.referenteRegionale, null);
    await expect(getDb().insert(accesses).values(same)).rejects.toMatchObject({ cause: { constraint_name: "accesses_one_active_per_scope" } });
    expect(await activeCount()).toBe(before);
    await getDb().insert(accesses).values(await duplicateOf(TERRITORIAL_PEOPLE.referenteRegionale, "10"));
    expect(await activeCount()).toBe(before + 1);
  });
});
