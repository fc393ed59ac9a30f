import type { Sql } from "postgres";
import { numericFiscalCodeCheckDigit } from "~/lib/fiscal-code";

/**
 * Seeded data for the dashboard benchmark, generated inside PostgreSQL: `practices` practices of
 * `gestori` gestori over five measures, each practice following one of seven paths through the
 * machine (five moves each on average, so 5 × practices rows of history), dates spread over two
 * years, every gestore working in a few neighbouring municipalities. Deterministic: the same
 * sizes give the same rows (hash functions, no random()).
 */
export async function generateDashboardData(sql: Sql, opts: { practices: number; gestori: number }) {
  const n = opts.practices;
  // Paths after the first report (PRESENTATA); their lengths average exactly 5 over the ten slots.
  const paths = [
    ["IN_ISTRUTTORIA", "NON_AMMESSA"],
    ["IN_ISTRUTTORIA", "DELIBERATA", "EROGATA"],
    ["IN_ISTRUTTORIA", "SOSPESA", "IN_ISTRUTTORIA", "DELIBERATA", "EROGATA"],
    ["IN_ISTRUTTORIA", "SOSPESA", "IN_ISTRUTTORIA", "SOSPESA", "IN_ISTRUTTORIA", "DELIBERATA", "EROGATA"],
    ["IN_ISTRUTTORIA", "SOSPESA", "IN_ISTRUTTORIA", "SOSPESA", "IN_ISTRUTTORIA", "NON_AMMESSA"],
    ["IN_ISTRUTTORIA", "SOSPESA", "IN_ISTRUTTORIA", "DELIBERATA", "EROGATA", "REVOCATA"],
  ];
  const slots = [0, 1, 2, 2, 2, 2, 3, 4, 5, 5];
  const steps: [number, number, string, string][] = [];
  slots.forEach((p, slot) => {
    let from = "PRESENTATA";
    paths[p]!.forEach((to, i) => {
      steps.push([slot, i + 1, from, to]);
      from = to;
    });
  });

  const measures = ["BENCH-1", "BENCH-2", "BENCH-3", "BENCH-4", "BENCH-5"];
  for (const code of measures) await sql`insert into measures (code, name) values (${code}, ${"Misura " + code}) on conflict do nothing`;
  const cfs = Array.from({ length: opts.gestori }, (_, i) => {
    const body = String(8_000_000_000 + i * 7_919).padStart(10, "0");
    return body + numericFiscalCodeCheckDigit(body);
  });
  await sql`insert into gestori (fiscal_code, name) select cf, 'Ente bench ' || ord from unnest(${cfs}::text[]) with ordinality as t(cf, ord)`;
  // Each gestore works for one or two measures.
  await sql`
    insert into measure_gestori (measure_id, gestore_id)
    select m.id, g.id from (select id, row_number() over (order by fiscal_code) as k from gestori where name like 'Ente bench %') g
    join (select id, row_number() over (order by code) - 1 as j from measures where code like 'BENCH-%') m
      on m.j = g.k % 5 or (g.k % 3 = 0 and m.j = (g.k + 1) % 5)`;

  await sql.begin(async (tx) => {
    await tx`set local work_mem = '256MB'`;
    await tx`create temp table bench_steps (slot int, step int, from_state practice_state, to_state practice_state) on commit drop`;
    for (const [slot, step, from, to] of steps) await tx`insert into bench_steps values (${slot}, ${step}, ${from}, ${to})`;
    await tx`create temp table bench_g on commit drop as
      select row_number() over (order by fiscal_code) - 1 as k, id from gestori where name like 'Ente bench %'`;
    await tx`create temp table bench_mg on commit drop as
      select g.k, mg.measure_id, row_number() over (partition by g.k order by mg.measure_id) - 1 as j, count(*) over (partition by g.k) as c
      from bench_g g join measure_gestori mg on mg.gestore_id = g.id`;
    await tx`create temp table bench_c on commit drop as select row_number() over (order by code) - 1 as j, code from comuni`;
    const [{ comuni }] = await tx<{ comuni: number }[]>`select count(*)::int as comuni from bench_c`;
    // One row per practice with its path slot and dates; hashes make every choice repeatable.
    await tx`create temp table bench_p on commit drop as
      select i, i % ${opts.gestori} as k, abs(hashint4(i)) as h1, abs(hashint4(i + 1000000007)) as h2, (abs(hashint4(i * 3 + 11)) % 10) as slot,
        date '2024-11-01' + (abs(hashint4(i * 7 + 3)) % 700) as submitted
      from generate_series(1, ${n}) as i`;
    await tx`create temp table bench_h on commit drop as
      select p.i, s.step, s.from_state, s.to_state,
        p.submitted + (sum(1 + abs(hashint4(p.i * 16 + s.step)) % 30) over (partition by p.i order by s.step))::int as d
      from bench_p p join bench_steps s on s.slot = p.slot`;
    await tx`create temp table bench_last on commit drop as
      select i, (array_agg(to_state order by step desc))[1] as to_state, max(d) as d,
        bool_or(to_state = 'DELIBERATA') as approved, bool_or(to_state = 'EROGATA') as disbursed
      from bench_h group by i`;
    await tx`
      insert into practices (id, gestore_id, code, measure_id, beneficiary_fiscal_code, beneficiary_name, comune_code, submitted_on, state, state_date,
        amount_requested, amount_approved, amount_disbursed, snapshot, machine_version, first_state, first_state_date)
      overriding system value
      select p.i, g.id, 'B' || lpad(p.i::text, 9, '0'), mg.measure_id, '02342520158', 'Impresa bench ' || p.i,
        c.code, p.submitted, coalesce(l.to_state, 'PRESENTATA'), coalesce(l.d, p.submitted),
        r.req, case when l.approved then round(r.req * 0.8, 2) end, case when l.disbursed then round(r.req * 0.8, 2) end,
        jsonb_build_object('value', coalesce(l.to_state, 'PRESENTATA'), 'context', jsonb_build_object('stateDate', coalesce(l.d, p.submitted)::text)),
        1, 'PRESENTATA', p.submitted
      from bench_p p
      join bench_g g on g.k = p.k
      join bench_mg mg on mg.k = p.k and mg.j = p.h1 % mg.c
      join bench_c c on c.j = (p.k * 37 + p.h2 % 40) % ${comuni}
      cross join lateral (select (1000 + p.h2 % 500000)::numeric(15, 2) as req) r
      left join bench_last l on l.i = p.i`;
    await tx`select setval(pg_get_serial_sequence('practices', 'id'), ${n})`;
    await tx`
      insert into practice_history (practice_id, kind, from_state, to_state, state_date, recorded_at)
      select i, 'transition', from_state, to_state, d, d::timestamptz from bench_h order by i, step`;
    // One accepted monthly file per gestore, the last one a few days ago for most.
    await tx`
      insert into uploads (gestore_id, channel, size_bytes, sha256, status, reference_date, received_at, completed_at, records)
      select g.id, 'api', 1000, md5(g.id::text || m)::text || md5(m::text), 'accepted',
        (date '2024-11-30' + make_interval(months => m))::date, (date '2024-12-05' + make_interval(months => m) + (g.k % 20) * interval '1 day'),
        (date '2024-12-05' + make_interval(months => m) + (g.k % 20) * interval '1 day'), 100
      from bench_g g cross join generate_series(0, 23) as m`;
  });
  // The monitoring summary, as the writers keep it (docs/decisions/0027): one call for every practice.
  const started = performance.now();
  await sql.begin(async (tx) => {
    await tx`set local work_mem = '512MB'`;
    await tx`select monitoring_apply(array(select id from practices order by id), 1)`;
  });
  console.log(`monitoring summary built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await sql`analyze practices`;
  await sql`analyze practice_history`;
  await sql`analyze uploads`;
  await sql`vacuum analyze monitoring_rollup`;
  const [{ p, h }] = await sql<{ p: number; h: number }[]>`select (select count(*)::int from practices) as p, (select count(*)::int from practice_history) as h`;
  return { practices: p, history: h, gestoreCf: cfs[1]!, measure: "BENCH-2" };
}

/**
 * The benchmarks' database with the dashboard's data: BENCH_DATABASE_URL reuses one generated
 * before (kept with BENCH_KEEP), otherwise a new one is created and generated (BENCH_PRACTICES,
 * BENCH_GESTORI). `finish` ends the connection, or drops the database it created.
 */
export async function dashboardBenchData(name: string) {
  if (process.env.BENCH_DATABASE_URL) {
    const url = process.env.BENCH_DATABASE_URL;
    process.env.DATABASE_URL = url;
    const postgres = (await import("postgres")).default;
    const sql = postgres(url, { max: 2, onnotice: () => {} });
    const [g] = await sql<{ fiscal_code: string }[]>`select fiscal_code from gestori where name = 'Ente bench 2'`;
    const [{ p, h }] = await sql<{ p: number; h: number }[]>`select (select count(*)::int from practices) as p, (select count(*)::int from practice_history) as h`;
    console.log(`Reusing ${url.replace(/\/\/[^@]*@/, "//")}: ${p.toLocaleString("en")} practices, ${h.toLocaleString("en")} moves`);
    return { url, sql, finish: async () => void (await sql.end()), gestoreCf: g!.fiscal_code, measure: "BENCH-2" };
  }
  const { benchDatabase } = await import("./database");
  const { url, sql, finish } = await benchDatabase(name);
  const n = Number(process.env.BENCH_PRACTICES ?? 1_000_000);
  const gestori = Number(process.env.BENCH_GESTORI ?? 200);
  console.log(`Generating ${n.toLocaleString("en")} practices, ~${(5 * n).toLocaleString("en")} moves, ${gestori} gestori (seeded)…`);
  const t = performance.now();
  const data = await generateDashboardData(sql, { practices: n, gestori });
  console.log(`generated ${data.practices.toLocaleString("en")} practices and ${data.history.toLocaleString("en")} moves in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { url, sql, finish, gestoreCf: data.gestoreCf, measure: data.measure };
}
