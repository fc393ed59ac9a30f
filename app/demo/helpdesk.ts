import { sql } from "drizzle-orm";
import type { Tx } from "~db/client";

/** The demo's help-desk queues are all worked by the Settore Credito, where Silvia Marchetti is an operator. */
export async function assignDemoQueues(tx: Tx) {
  await tx.execute(sql`update helpdesk_queues set org_unit_id = (select id from org_units where code = 'SETT-CREDITO'), version = version + 1`);
}
