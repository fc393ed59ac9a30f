import fs from "node:fs";
import { eq, sql } from "drizzle-orm";
import { getDb } from "~db/client";
import { gestori, uploads } from "~db/schema";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { receiveUpload } from "~/uploads/receive.server";

export const fixture = (name: string) => fs.readFileSync(`test/fixtures/uploads/${name}`);

export async function gestoreId(cf: string) {
  const [g] = await getDb().select().from(gestori).where(eq(gestori.fiscalCode, cf));
  return g!.id;
}

async function* once(bytes: Uint8Array) {
  yield bytes;
}

/** Sends a file as the web page would; the worker has not processed it yet. */
export async function sendUpload(cf: string, bytes: Uint8Array | string) {
  const id = await gestoreId(cf);
  const received = await receiveUpload({
    gestoreId: id,
    userId: null,
    channel: "api",
    fileName: "test.txt",
    body: once(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes),
    who: { actor: { fiscalCode: "TEST" }, ip: null },
  });
  return { ...received, gestoreId: id };
}

export async function uploadRow(uploadId: string) {
  const [row] = await getDb().select().from(uploads).where(eq(uploads.id, uploadId));
  return row!;
}

/** Sends a file as the web page would and processes it as the worker would, synchronously. */
export async function uploadAndProcess(cf: string, bytes: Uint8Array | string, opts: { today?: string } = {}) {
  const received = await sendUpload(cf, bytes);
  await ingestPendingUploads(received.gestoreId, opts);
  return { ...received, upload: await uploadRow(received.uploadId) };
}

/** Everything an upload could change, to prove a refused one changed nothing. */
export async function practiceState() {
  const rows = await getDb().execute(sql`
    select (select coalesce(json_agg(p order by p.code), '[]') from practices p) as practices,
           (select count(*)::int from practice_history) as history`);
  return JSON.stringify(rows[0]);
}
