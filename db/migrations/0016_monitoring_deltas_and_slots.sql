-- The monitoring summary by deltas, written in slots (docs/decisions/0034). Generated part first
-- (the slot joins the key), then hand-written functions.
ALTER TABLE "monitoring_rollup" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "monitoring_rollup" DROP CONSTRAINT "monitoring_rollup_lvl_gestore_id_measure_id_region_code_province_code_fact_bucket_a_b_days_pk";--> statement-breakpoint
ALTER TABLE "monitoring_rollup" ADD CONSTRAINT "monitoring_rollup_lvl_gestore_id_measure_id_region_code_province_code_fact_bucket_a_b_days_slot_pk" PRIMARY KEY("lvl","gestore_id","measure_id","region_code","province_code","fact","bucket","a","b","days","slot");--> statement-breakpoint

-- A contribution to the summary at the finest grain (one gestore, measure, province), before it is
-- added at every level. Writers aggregate their facts into a few of these, so the fan-out to the
-- levels and the upsert cost what a segment's distinct keys cost, not what its practices cost.
CREATE TYPE monitoring_fact AS (
  gestore_id uuid, measure_id uuid, region_code varchar, province_code varchar,
  fact varchar, bucket date, a varchar, b varchar, days integer,
  n bigint, requested numeric, approved numeric, approved_n bigint, disbursed numeric, disbursed_n bigint
);
--> statement-breakpoint

-- The slot this transaction writes the summary in: the first slot no other transaction holds,
-- kept until commit (a transaction-level advisory lock, remembered in a transaction-local
-- setting). Two writers never write the same row, so they never wait for each other nor
-- deadlock; the summary has at most as many rows per key as writers ever ran at once.
-- With every slot taken, wait for one (holding none: no cycle among slot waiters).
CREATE OR REPLACE FUNCTION monitoring_slot() RETURNS smallint
LANGUAGE plpgsql
AS $$
declare
  held text := current_setting('monitoring.slot', true);
  s int;
begin
  if held is not null and held <> '' then return held::smallint; end if;
  for s in 0..15 loop
    if pg_try_advisory_xact_lock(hashtext('monitoring_rollup'), s) then
      perform set_config('monitoring.slot', s::text, true);
      return s;
    end if;
  end loop;
  s := (txid_current() % 16)::int;
  perform pg_advisory_xact_lock(hashtext('monitoring_rollup'), s);
  perform set_config('monitoring.slot', s::text, true);
  return s;
end
$$;
--> statement-breakpoint

-- Adds contributions at every level, in this transaction's slot.
CREATE OR REPLACE FUNCTION monitoring_add(facts monitoring_fact[]) RETURNS void
LANGUAGE sql
AS $$
  with s as materialized (select monitoring_slot() as slot),
  lv as (
    select
      (case when grouping(f.gestore_id) = 0 then (case when f.fact = 'waiting' then 5 else 4 end)
            when grouping(f.province_code) = 0 then 3
            when grouping(f.region_code) = 0 then 2
            when grouping(f.measure_id) = 0 then 1
            else 0 end)::smallint as lvl,
      coalesce(f.gestore_id, '00000000-0000-0000-0000-000000000000'::uuid) as gid,
      coalesce(f.measure_id, '00000000-0000-0000-0000-000000000000'::uuid) as mid,
      (case when grouping(f.region_code) = 0 then f.region_code else '' end)::varchar as rc,
      (case when grouping(f.province_code) = 0 then f.province_code else '' end)::varchar as pc,
      f.fact, f.bucket, f.a, f.b, f.days,
      sum(f.n) as n, coalesce(sum(f.requested), 0) as req, coalesce(sum(f.approved), 0) as appr, sum(f.approved_n) as appr_n,
      coalesce(sum(f.disbursed), 0) as disb, sum(f.disbursed_n) as disb_n
    from unnest(facts) f
    group by f.fact, f.bucket, f.a, f.b, f.days,
      grouping sets ((), (f.measure_id), (f.region_code), (f.region_code, f.province_code), (f.gestore_id, f.measure_id))
    -- Waiting practices only per gestore × measure (level 5).
    having (f.fact = 'waiting') = (grouping(f.gestore_id) = 0 and f.fact = 'waiting')
  )
  insert into monitoring_rollup as r (lvl, gestore_id, measure_id, region_code, province_code, fact, bucket, a, b, days, slot,
    n, requested, approved, approved_n, disbursed, disbursed_n)
  select lvl, gid, mid, rc, pc, fact, bucket, a, b, days, s.slot, n, req, appr, appr_n, disb, disb_n from lv, s
  -- A move and its undoing within one key (a changed note, a stock row left and re-entered) add nothing.
  where n <> 0 or req <> 0 or appr <> 0 or appr_n <> 0 or disb <> 0 or disb_n <> 0
  order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  on conflict (lvl, gestore_id, measure_id, region_code, province_code, fact, bucket, a, b, days, slot) do update set
    n = r.n + excluded.n,
    requested = coalesce(r.requested, 0) + excluded.requested,
    approved = coalesce(r.approved, 0) + excluded.approved,
    approved_n = r.approved_n + excluded.approved_n,
    disbursed = coalesce(r.disbursed, 0) + excluded.disbursed,
    disbursed_n = r.disbursed_n + excluded.disbursed_n;
$$;
--> statement-breakpoint

-- The whole contributions of the given practices, as they are now in `practices` and
-- `practice_history` (leaving out the history rows of `exclude_upload`, already written but not yet
-- counted), times `direction`. The same definitions as the raw-table queries of
-- db/queries/monitoring.ts. Hash joins throughout: the planner cannot size `= any(ids)` and would
-- otherwise join the CTEs by nested loops, quadratic for a segment of 100,000 practices.
CREATE OR REPLACE FUNCTION monitoring_story_facts(ids bigint[], direction int, exclude_upload uuid DEFAULT NULL) RETURNS SETOF monitoring_fact
LANGUAGE sql STABLE
SET enable_nestloop = off
AS $$
  with p as (
    select p.id, p.gestore_id, p.measure_id, c.region_code, c.province_code, p.submitted_on,
      date_trunc('month', p.submitted_on::timestamp)::date as cohort, p.state, p.state_date, p.amount_requested, p.amount_approved, p.amount_disbursed,
      p.first_state, p.first_state_date
    from practices p join comuni c on c.code = p.comune_code
    where p.id = any(ids)
  ),
  arrivals as (
    select p.id as pid, 0::bigint as seq, null::practice_state as from_state, p.first_state as to_state, p.first_state_date as d from p
    union all
    select h.practice_id, h.id, h.from_state, h.to_state, h.state_date from practice_history h
    where h.practice_id = any(ids) and h.kind = 'transition' and (exclude_upload is null or h.upload_id is distinct from exclude_upload)
  ),
  seq as (select a.*, a.d - lag(a.d) over (partition by a.pid order by a.seq) as stay from arrivals a),
  firsts as (
    select pid, min(d) filter (where to_state in ('DELIBERATA', 'NON_AMMESSA')) as decided,
      min(d) filter (where to_state = 'EROGATA') as disbursed
    from arrivals group by pid
  ),
  f as (
    select id as pid, 'stock' as fact, null::date as bucket, state::text as a, '' as b, -1 as days,
      amount_requested as req, amount_approved as appr, amount_disbursed as disb from p
    union all select id, 'created', monitoring_bucket(submitted_on), '', '', -1, null, null, null from p
    -- Practices waiting in a state with a limit, by the day they arrived (days since 2000-01-01):
    -- what "over its state limits on a day" needs (level 5 only).
    union all select id, 'waiting', date '2000-01-01', state::text, '', state_date - date '2000-01-01', null, null, null from p
      where state in ('IN_ISTRUTTORIA', 'SOSPESA')
    union all select pid, 'arrival', monitoring_bucket(d), to_state::text, '', -1, null, null, null from seq
      where to_state in ('DELIBERATA', 'NON_AMMESSA', 'EROGATA')
    union all select pid, 'move', date_trunc('month', d::timestamp)::date, from_state::text, to_state::text, -1, null, null, null from seq where seq > 0
    union all select pid, 'stay', null, from_state::text, '', stay, null, null, null from seq where seq > 0
    union all select x.pid, 'decision', null, '', '', x.decided - p.submitted_on, null, null, null
      from firsts x join p on p.id = x.pid where x.decided is not null
    union all select x.pid, 'disbursement', null, '', '', x.disbursed - p.submitted_on, null, null, null
      from firsts x join p on p.id = x.pid where x.disbursed is not null
  )
  select p.gestore_id, p.measure_id, p.region_code::varchar, p.province_code::varchar, f.fact::varchar, coalesce(f.bucket, p.cohort),
    f.a::varchar, f.b::varchar, f.days,
    count(*) * direction, sum(f.req) * direction, sum(f.appr) * direction, count(f.appr) * direction,
    sum(f.disb) * direction, count(f.disb) * direction
  from f join p on p.id = f.pid
  group by p.gestore_id, p.measure_id, p.region_code, p.province_code, f.fact, coalesce(f.bucket, p.cohort), f.a, f.b, f.days
$$;
--> statement-breakpoint

-- Adds (direction 1) or takes away (direction -1) the whole contributions of the given practices.
-- For a practice whose story moves to other keys (a new practice, a changed municipality or
-- submission date) and for the per-event runner.
CREATE OR REPLACE FUNCTION monitoring_apply(ids bigint[], direction int, exclude_upload uuid DEFAULT NULL) RETURNS void
LANGUAGE sql
AS $$
  select monitoring_add(array(select f from monitoring_story_facts(ids, direction, exclude_upload) f));
$$;
--> statement-breakpoint

-- History rows whose practice changes municipality or submission date: every past fact of the
-- practice moves to other keys, so the practice is taken out whole and added back whole.
CREATE OR REPLACE FUNCTION monitoring_moves_rekeyed(upload uuid, after_id bigint) RETURNS bigint[]
LANGUAGE sql STABLE
AS $$
  select array(select practice_id from practice_history
    where id > after_id and upload_id = upload and changes ?| array['comune_istat', 'data_presentazione']);
$$;
--> statement-breakpoint

-- The summary for a segment of an upload's history rows (id > after_id), staged in
-- `practice_history` but not yet applied to `practices`: what each move changes, set-wise — the
-- stock row it leaves and the one it enters (with the amounts), the waiting day it ends and the
-- one it starts, and, for a change of state, the move, the arrival, the stay it ends and the
-- first decision or disbursement (the machine reaches DELIBERATA / NON_AMMESSA and EROGATA at most
-- once). Called with 'before' just before the segment's UPDATE of the practices (it reads their old
-- values) and with 'after' just after it (for the practices taken out whole).
CREATE OR REPLACE FUNCTION monitoring_apply_moves(upload uuid, after_id bigint, phase text) RETURNS void
LANGUAGE plpgsql
AS $$
declare
  rekeyed bigint[] := monitoring_moves_rekeyed(upload, after_id);
begin
  if phase = 'after' then
    if cardinality(rekeyed) > 0 then perform monitoring_apply(rekeyed, 1); end if;
    return;
  end if;
  if cardinality(rekeyed) > 0 then perform monitoring_apply(rekeyed, -1, upload); end if;
  -- The moves are first counted per distinct (practice dimensions, old and new position): few
  -- groups for many practices; only then is each group turned into facts.
  perform monitoring_add(array(
    with g as (
      select p.gestore_id, p.measure_id, p.comune_code, p.submitted_on, p.state as s0, p.state_date as d0,
        h.kind, h.from_state, h.to_state as s1, h.state_date as d1,
        -- The stay ends at this move and began at the practice's last arrival (a later change of
        -- the state's date alone does not start a new stay): its last earlier move, or its first
        -- report. Dates never go back (DATE_ORDER), so a practice still on its first report's
        -- date arrived then, whatever happened since; otherwise one descent of
        -- practice_history_practice_idx (ordered as it is, never a walk back along the ids).
        case when h.kind <> 'transition' then null
          when p.state_date = p.first_state_date then p.first_state_date
          else coalesce(
            (select x.state_date from practice_history x where x.practice_id = h.practice_id and x.id < h.id and x.kind = 'transition'
              order by x.practice_id desc, x.id desc limit 1),
            p.first_state_date) end as arrived,
        count(*) as n,
        sum(p.amount_requested) as r0, sum(p.amount_approved) as a0, count(p.amount_approved) as a0n,
        sum(p.amount_disbursed) as e0, count(p.amount_disbursed) as e0n,
        sum(r1) as r1, sum(a1) as a1, count(a1) as a1n, sum(e1) as e1, count(e1) as e1n
      from practice_history h
      join practices p on p.id = h.practice_id
      cross join lateral (select
        case when h.changes ? 'importo_richiesto' then (h.changes -> 'importo_richiesto' ->> 1)::numeric else p.amount_requested end as r1,
        case when h.changes ? 'importo_deliberato' then (h.changes -> 'importo_deliberato' ->> 1)::numeric else p.amount_approved end as a1,
        case when h.changes ? 'importo_erogato' then (h.changes -> 'importo_erogato' ->> 1)::numeric else p.amount_disbursed end as e1
      ) new_amounts
      where h.id > after_id and h.upload_id = upload
        and not coalesce(h.changes ?| array['comune_istat', 'data_presentazione'], false)
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ),
    m as (
      select g.*, c.region_code, c.province_code, date_trunc('month', g.submitted_on::timestamp)::date as cohort
      from g join comuni c on c.code = g.comune_code
    )
    select row(m.gestore_id, m.measure_id, m.region_code, m.province_code, v.fact, v.bucket, v.a, v.b, v.days,
      sum(v.n), sum(v.req), sum(v.appr), sum(v.appr_n), sum(v.disb), sum(v.disb_n))::monitoring_fact
    from m cross join lateral (values
      ('stock', m.cohort, m.s0::text, '', -1, -m.n, -m.r0, -m.a0, -m.a0n, -m.e0, -m.e0n),
      ('stock', m.cohort, m.s1::text, '', -1, m.n, m.r1, m.a1, m.a1n, m.e1, m.e1n),
      (case when m.s0 in ('IN_ISTRUTTORIA', 'SOSPESA') then 'waiting' end, date '2000-01-01', m.s0::text, '', m.d0 - date '2000-01-01', -m.n, null, null, 0, null, 0),
      (case when m.s1 in ('IN_ISTRUTTORIA', 'SOSPESA') then 'waiting' end, date '2000-01-01', m.s1::text, '', m.d1 - date '2000-01-01', m.n, null, null, 0, null, 0),
      (case when m.kind = 'transition' then 'move' end, date_trunc('month', m.d1::timestamp)::date, m.from_state::text, m.s1::text, -1, m.n, null, null, 0, null, 0),
      (case when m.kind = 'transition' then 'stay' end, m.cohort, m.from_state::text, '', m.d1 - m.arrived, m.n, null, null, 0, null, 0),
      (case when m.kind = 'transition' and m.s1 in ('DELIBERATA', 'NON_AMMESSA', 'EROGATA') then 'arrival' end,
        monitoring_bucket(m.d1), m.s1::text, '', -1, m.n, null, null, 0, null, 0),
      (case when m.kind = 'transition' and m.s1 in ('DELIBERATA', 'NON_AMMESSA') then 'decision' end, m.cohort, '', '', m.d1 - m.submitted_on, m.n, null, null, 0, null, 0),
      (case when m.kind = 'transition' and m.s1 = 'EROGATA' then 'disbursement' end, m.cohort, '', '', m.d1 - m.submitted_on, m.n, null, null, 0, null, 0)
    ) v(fact, bucket, a, b, days, n, req, appr, appr_n, disb, disb_n)
    where v.fact is not null
    group by m.gestore_id, m.measure_id, m.region_code, m.province_code, v.fact, v.bucket, v.a, v.b, v.days));
end
$$;
--> statement-breakpoint

-- The contributions of an upload's new practices (id > after_id): a first report has no history,
-- so its facts are read from the practice row alone, in one pass over the new rows.
CREATE OR REPLACE FUNCTION monitoring_apply_new(upload uuid, after_id bigint) RETURNS void
LANGUAGE sql
AS $$
  -- Counted per distinct (dimensions, state, dates) first: few groups for many practices.
  select monitoring_add(array(
    with g as (
      select p.gestore_id, p.measure_id, p.comune_code, p.submitted_on, p.state, p.state_date, count(*) as n,
        sum(p.amount_requested) as r, sum(p.amount_approved) as a, count(p.amount_approved) as an,
        sum(p.amount_disbursed) as e, count(p.amount_disbursed) as en
      from practices p
      where p.id > after_id and p.first_upload_id = upload
      group by 1, 2, 3, 4, 5, 6
    ),
    m as (
      select g.*, c.region_code, c.province_code, date_trunc('month', g.submitted_on::timestamp)::date as cohort
      from g join comuni c on c.code = g.comune_code
    )
    select row(m.gestore_id, m.measure_id, m.region_code, m.province_code, v.fact, v.bucket, v.a, '', v.days,
      sum(v.n), sum(v.req), sum(v.appr), sum(v.appr_n), sum(v.disb), sum(v.disb_n))::monitoring_fact
    from m cross join lateral (values
      ('stock', m.cohort, m.state::text, -1, m.n, m.r, m.a, m.an, m.e, m.en),
      ('created', monitoring_bucket(m.submitted_on), '', -1, m.n, null, null, 0, null, 0),
      (case when m.state in ('IN_ISTRUTTORIA', 'SOSPESA') then 'waiting' end, date '2000-01-01', m.state::text, m.state_date - date '2000-01-01', m.n, null, null, 0, null, 0),
      (case when m.state in ('DELIBERATA', 'NON_AMMESSA', 'EROGATA') then 'arrival' end, monitoring_bucket(m.state_date), m.state::text, -1, m.n, null, null, 0, null, 0),
      (case when m.state in ('DELIBERATA', 'NON_AMMESSA') then 'decision' end, m.cohort, '', m.state_date - m.submitted_on, m.n, null, null, 0, null, 0),
      (case when m.state = 'EROGATA' then 'disbursement' end, m.cohort, '', m.state_date - m.submitted_on, m.n, null, null, 0, null, 0)
    ) v(fact, bucket, a, days, n, req, appr, appr_n, disb, disb_n)
    where v.fact is not null
    group by m.gestore_id, m.measure_id, m.region_code, m.province_code, v.fact, v.bucket, v.a, v.days));
$$;
