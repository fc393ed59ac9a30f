-- The monitoring summary's maintenance (docs/decisions/0027). Hand-written: kept apart from the
-- generated migrations.

-- The bucket of a date for the weekly flow: the part of its ISO week (Monday) inside its calendar
-- month, so that a period of whole months is a range of buckets and weeks can still be told apart.
-- (Stock, moves and times use plain months.)
CREATE OR REPLACE FUNCTION monitoring_bucket(d date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ select greatest(date_trunc('week', d::timestamp), date_trunc('month', d::timestamp))::date $$;
--> statement-breakpoint

-- Adds (direction 1) or takes away (direction -1) the contributions of the given practices, as
-- they are now in `practices` and `practice_history` (leaving out the history rows of
-- `exclude_upload`, already written but not yet counted), at every level of the summary. Called
-- set-wise: once before and once after each write that changes practices, in its transaction.
-- The same definitions as the raw-table queries of db/queries/monitoring.ts.
-- Hash joins throughout: the planner cannot size `= any(ids)` and would otherwise join the CTEs by
-- nested loops, quadratic for a segment of 100,000 practices.
CREATE OR REPLACE FUNCTION monitoring_apply(ids bigint[], direction int, exclude_upload uuid DEFAULT NULL) RETURNS void
LANGUAGE sql
SET enable_nestloop = off
AS $$
  -- Writers of the summary take turns: rows shared by every gestore (the totals) would otherwise
  -- be locked in different orders by two files and deadlock.
  select pg_advisory_xact_lock(hashtext('monitoring_rollup'));
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
  ),
  -- Every level in one pass: grouping sets over the practices' dimensions.
  lv as (
    select
      (case when grouping(p.gestore_id) = 0 then (case when f.fact = 'waiting' then 5 else 4 end)
            when grouping(p.province_code) = 0 then 3
            when grouping(p.region_code) = 0 then 2
            when grouping(p.measure_id) = 0 then 1
            else 0 end)::smallint as lvl,
      coalesce(p.gestore_id, '00000000-0000-0000-0000-000000000000'::uuid) as gid,
      coalesce(p.measure_id, '00000000-0000-0000-0000-000000000000'::uuid) as mid,
      (case when grouping(p.region_code) = 0 then p.region_code else '' end)::varchar as rc,
      (case when grouping(p.province_code) = 0 then p.province_code else '' end)::varchar as pc,
      f.fact, coalesce(f.bucket, p.cohort) as bucket, f.a, f.b, f.days,
      count(*) * direction as n, coalesce(sum(f.req), 0) * direction as req, coalesce(sum(f.appr), 0) * direction as appr,
      count(f.appr) * direction as appr_n, coalesce(sum(f.disb), 0) * direction as disb, count(f.disb) * direction as disb_n
    from f join p on p.id = f.pid
    group by f.fact, coalesce(f.bucket, p.cohort), f.a, f.b, f.days,
      grouping sets ((), (p.measure_id), (p.region_code), (p.region_code, p.province_code), (p.gestore_id, p.measure_id))
    -- Waiting practices only per gestore × measure (level 5).
    having (f.fact = 'waiting') = (grouping(p.gestore_id) = 0 and f.fact = 'waiting')
  )
  insert into monitoring_rollup as r (lvl, gestore_id, measure_id, region_code, province_code, fact, bucket, a, b, days,
    n, requested, approved, approved_n, disbursed, disbursed_n)
  select lvl, gid, mid, rc, pc, fact, bucket, a, b, days, n, req, appr, appr_n, disb, disb_n from lv
  order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  on conflict (lvl, gestore_id, measure_id, region_code, province_code, fact, bucket, a, b, days) do update set
    n = r.n + excluded.n,
    requested = coalesce(r.requested, 0) + excluded.requested,
    approved = coalesce(r.approved, 0) + excluded.approved,
    approved_n = r.approved_n + excluded.approved_n,
    disbursed = coalesce(r.disbursed, 0) + excluded.disbursed,
    disbursed_n = r.disbursed_n + excluded.disbursed_n;
$$;
--> statement-breakpoint

-- The practices already stored.
SELECT monitoring_apply(array(select id from practices), 1);
