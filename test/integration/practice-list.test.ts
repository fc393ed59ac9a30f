import { beforeAll, describe, expect, it } from "vitest";
import * as practicesList from "~/routes/pratiche._index";
import { drizzleOver, getDb, getSql, type Database } from "~db/client";
import { countPractices, listPractices, PAGE_SIZE, parseListCursor, type ListCursor } from "~db/queries/practices";
import { GESTORE_DEMO, PEOPLE, cookieFor, seedDemo, statusOf, viewerOf } from "../support/actors";
import { fixture, uploadAndProcess } from "../support/uploads";

/** The practice list's keyset pages and cheap totals (docs/decisions/0036). */
type ListData = { rows: { id: number; code: string }[]; next: string | null; prev: string | null; page: number };

let cookie: string;

beforeAll(async () => {
  await seedDemo();
  await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
  await uploadAndProcess(GESTORE_DEMO, fixture("valid-second.txt"));
  cookie = await cookieFor(PEOPLE.funzionario);
});

/** Runs `check` with `extra` more practices (and the planner's statistics of them) in a transaction rolled back afterwards. */
async function withExtraPractices(extra: number, check: (db: Database, total: number) => Promise<void>) {
  await getSql()
    .begin(async (tx) => {
      await tx`insert into practices (gestore_id, code, measure_id, beneficiary_fiscal_code, beneficiary_name, comune_code, submitted_on, state, state_date,
          amount_requested, snapshot, machine_version, first_state, first_state_date)
        select p.gestore_id, 'ZZ-' || i, p.measure_id, p.beneficiary_fiscal_code, p.beneficiary_name, p.comune_code, p.submitted_on, p.state, p.state_date,
          p.amount_requested, p.snapshot, p.machine_version, p.first_state, p.first_state_date
        from generate_series(1, ${extra}::int) i, (select * from practices limit 1) p`;
      await tx`analyze practices`;
      const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from practices`;
      await check(drizzleOver(tx), n);
      throw new Error("rollback");
    })
    .catch((e: Error) => {
      if (e.message !== "rollback") throw e;
    });
}

const list = async (query: string) => (await statusOf(practicesList.loader, { path: `/pratiche${query}`, cookie })).data as ListData;

describe("keyset pages", () => {
  it("following 'next' and then 'previous' visits every visible practice once, newest first, and comes back", async () => {
    const viewer = await viewerOf(PEOPLE.funzionario);
    // 130 more practices, in a transaction rolled back at the end: three pages.
    await withExtraPractices(130, async (db, n) => {
      const seen: number[] = [];
      const pages: Awaited<ReturnType<typeof listPractices>>[] = [];
      let cursor: ListCursor | null = null;
      for (;;) {
        const page = await listPractices(db, viewer, {}, cursor);
        pages.push(page);
        seen.push(...page.rows.map((r) => r.id));
        if (!page.next) break;
        cursor = parseListCursor("after", page.next);
      }
      expect(seen.length).toBe(n);
      expect(new Set(seen).size).toBe(n);
      expect(seen).toEqual([...seen].sort((a, b) => b - a));
      expect(pages.length).toBe(Math.ceil(n / PAGE_SIZE));
      expect(pages[0]!.prev).toBeNull();
      // Back from the last page: exactly the page before it; back from the second: the first, with no 'previous'.
      const back = await listPractices(db, viewer, {}, parseListCursor("before", pages.at(-1)!.prev));
      expect(back.rows.map((r) => r.id)).toEqual(pages.at(-2)!.rows.map((r) => r.id));
      const first = await listPractices(db, viewer, {}, parseListCursor("before", pages[1]!.prev));
      expect(first.rows.map((r) => r.id)).toEqual(pages[0]!.rows.map((r) => r.id));
      expect(first.prev).toBeNull();
    });
  });

  it("the page shows the cursor's page number and links to the next page", async () => {
    const first = await list("");
    expect(first.page).toBe(1);
    expect(first.prev).toBeNull();
    const second = await list(`?dopo=${first.rows[2]!.id}&page=2`);
    expect(second.page).toBe(2);
    expect(second.rows.map((r) => r.id)).toEqual(first.rows.slice(3).map((r) => r.id));
    expect(second.prev).toBe(String(first.rows[3]!.id));
  });

  it("a gestore's pages hold only its practices, and a forged cursor shows the first page", async () => {
    const operator = await viewerOf(PEOPLE.altroOperatore);
    expect((await listPractices(getDb(), operator, {}, { dir: "after", id: 1e12 })).rows).toEqual([]);
    expect(parseListCursor("after", "1;drop table practices")).toBeNull();
    const data = await list("?dopo=abc&page=7");
    expect(data.page).toBe(1);
    expect(data.rows.length).toBeGreaterThan(0);
  });
});

describe("totals", () => {
  it("are exact from the monitoring summary for state, measure, gestore, region and province", async () => {
    const viewer = await viewerOf(PEOPLE.funzionario);
    const sql = getSql();
    const [{ all, istr, gest }] = await sql<{ all: number; istr: number; gest: number }[]>`
      select count(*)::int as all, count(*) filter (where state = 'IN_ISTRUTTORIA')::int as istr,
        count(*) filter (where gestore_id = (select id from gestori where fiscal_code = ${GESTORE_DEMO}))::int as gest from practices`;
    expect(await countPractices(getDb(), viewer, {})).toEqual({ n: all, estimated: false });
    expect(await countPractices(getDb(), viewer, { state: "IN_ISTRUTTORIA" })).toEqual({ n: istr, estimated: false });
    expect(await countPractices(getDb(), viewer, { gestore: GESTORE_DEMO })).toEqual({ n: gest, estimated: false });
    expect(await countPractices(getDb(), viewer, { gestore: "99999999999" })).toEqual({ n: 0, estimated: false });
  });

  it("are counted exactly up to 1,000 otherwise, and estimated beyond (shown as 'circa')", async () => {
    const viewer = await viewerOf(PEOPLE.funzionario);
    const sql = getSql();
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from practices where code ilike '%PR%'`;
    expect(await countPractices(getDb(), viewer, { q: "PR" })).toEqual({ n, estimated: false });
    await withExtraPractices(1200, async (db) => {
      const total = await countPractices(db, viewer, { q: "ZZ-" });
      expect(total.estimated).toBe(true);
      expect(total.n).toBeGreaterThan(1000);
    });
  });
});
