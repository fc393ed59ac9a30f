import { sql } from "drizzle-orm";
import type { DbOrTx } from "~db/client";

export type ChainBreak = { id: number | null; chain: number; seq: number | null; at: string | null; reason: string };
export type ChainReport = { rows: number; chains: number; broken: ChainBreak | null };

/**
 * Walks every audit hash chain (docs/decisions/0039) from `from` (a date, Europe/Rome) or from
 * the start, recomputing each row's hash, and names the first row (in time) that breaks a chain:
 * altered content, a link to a previous row that is not the one before it, a missing row, or
 * rows missing at the end of a chain. With `from`, the first row of each chain is trusted to link
 * to what came before.
 */
export async function verifyAuditChain(db: DbOrTx, opts: { from?: string } = {}): Promise<ChainReport> {
  const from = opts.from ? sql`(${opts.from}::date)::timestamp at time zone 'Europe/Rome'` : sql`'-infinity'::timestamptz`;
  const rows = await db.execute<{ id: string | null; chain: number; seq: string | null; at: string | null; reason: string; checked: string; chains: string }>(sql`
    with starts as (
      select chain, min(seq) as seq from audit_log where at >= ${from} group by chain
    ), walked as (
      select a.id, a.chain, a.seq, a.at, a.hash, a.prev_hash, audit_log_row_hash(a) as recomputed,
             lag(a.seq) over w as before_seq, lag(a.hash) over w as before_hash, s.seq as start_seq
        from audit_log a join starts s on s.chain = a.chain and a.seq >= s.seq
      window w as (partition by a.chain order by a.seq)
    ), breaks as (
      select id, chain, seq, at,
             case
               when hash is distinct from recomputed then 'contenuto alterato (l''impronta non corrisponde)'
               when before_seq is null and ${opts.from ? sql`false` : sql`true`} and seq <> 1 then 'mancano le righe precedenti della catena'
               when before_seq is null and seq = 1 and prev_hash <> '' then 'la prima riga della catena non parte dall''inizio'
               when before_seq is not null and seq <> before_seq + 1 then 'manca almeno una riga prima di questa'
               when before_seq is not null and prev_hash is distinct from before_hash then 'non collegata alla riga precedente'
             end as reason
        from walked
      union all
      select null, h.chain, h.seq, null,
             case when h.seq > coalesce(t.seq, 0) then 'mancano le ultime righe della catena (l''ultima registrata è la n. ' || h.seq || ')'
                  else 'l''ultima riga della catena non è quella registrata' end
        from audit_chain_heads h
        left join lateral (select seq, hash from audit_log a where a.chain = h.chain order by seq desc limit 1) t on true
       where h.seq <> coalesce(t.seq, 0) or h.hash <> coalesce(t.hash, '')
      union all
      select id, -1, null, at, 'riga fuori da ogni catena' from audit_log where chain is null and at >= ${from}
    )
    select b.id::text, b.chain, b.seq::text, to_char(b.at at time zone 'Europe/Rome', 'DD/MM/YYYY HH24:MI:SS') as at, b.reason,
           (select count(*) from walked)::text as checked, (select count(*) from starts)::text as chains
      from (select 0 as k, * from breaks where reason is not null union all select 1, null, null, null, null, null) b
     order by b.k, b.at nulls last, b.id
     limit 1`);
  const r = rows[0]!;
  return {
    rows: Number(r.checked),
    chains: Number(r.chains),
    broken: r.reason ? { id: r.id === null ? null : Number(r.id), chain: r.chain, seq: r.seq === null ? null : Number(r.seq), at: r.at, reason: r.reason } : null,
  };
}

export function describeChainReport(report: ChainReport) {
  const b = report.broken;
  if (!b) return `Registro integro: ${report.rows} righe verificate in ${report.chains} catene.`;
  const where = b.id === null ? `catena ${b.chain}` : `riga ${b.id} (catena ${b.chain}, n. ${b.seq}, ${b.at})`;
  return `Registro alterato: la prima interruzione è alla ${where}: ${b.reason}.`;
}
