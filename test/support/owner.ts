import postgres from "postgres";
import { afterAll } from "vitest";

let owner: postgres.Sql | null = null;

/**
 * Runs statements as the tables' owner (the role that ran the migrations), for what the
 * application role may not do: the triggers and functions tests inject, as an operator would.
 */
export async function asOwner(statements: string) {
  owner ??= postgres(process.env.TEST_OWNER_DATABASE_URL!, { max: 1, onnotice: () => {} });
  await owner.unsafe(statements);
}

afterAll(async () => {
  await owner?.end();
  owner = null;
});
