import fs from "node:fs";
import { eq, sql } from "drizzle-orm";
import { getDb } from "~db/client";
import { gestori, uploads } from "~db/schema";
import { ingestPendingUploads } from "~/uploads/ingest.server";
import { receiveUpload } from "~/uploads/receive.server";
import { GESTORE_DEMO } from "./actors";

export const fixture = (name: string) => fs.readFileSync(`test/fixtures/uploads/${name}`);

export async function gestoreId(cf: string) {
  const [g] = await getDb().select().from(gestori).where(eq(gestori.fiscalCode, cf));
  return g!.id;
}

async function* once(bytes: Uint8Array) {
  yield bytes;
}

/** Stores a file as the API would, without processing it (a worker, or the test, does that). */
export async function storeUpload(cf: string, chunks: Buffer[]) {
  return receiveUpload({
    gestoreId: await gestoreId(cf),
    userId: null,
    channel: "api",
    fileName: "f.txt",
    body: (async function* () {
      yield* chunks;
    })(),
    who: { actor: {}, ip: null },
  });
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

/** Lines of a file in layout version 1, for tests: header, detail (fields overridable), trailer. */
export const T = (ref = "31/07/2020", id = "INV-1", cf = GESTORE_DEMO) => `T|1|${cf}|${ref}|${id}`;
export const D = (over: Partial<Record<string, string>> = {}) => {
  const f = {
    code: "PR-9001", measure: "COVID-LIQ", cf: "02342520158", name: "Impresa Prova S.r.l.", comune: "042002",
    submitted: "02/04/2020", state: "PRESENTATA", stateDate: "02/04/2020", requested: "1000", approved: "", disbursed: "", notes: "",
    ...over,
  };
  return `D|${f.code}|${f.measure}|${f.cf}|${f.name}|${f.comune}|${f.submitted}|${f.state}|${f.stateDate}|${f.requested}|${f.approved}|${f.disbursed}|${f.notes}`;
};
export const file = (...lines: string[]) => lines.join("\n") + "\n";
export const withTrailer = (header: string, ...details: string[]) => {
  const sum = details.reduce((s, d) => s + Math.round(Number(d.split("|")[9]!.replace(",", ".")) * 100), 0);
  const total = `${Math.floor(sum / 100)}${sum % 100 ? "," + String(sum % 100).padStart(2, "0") : ""}`;
  return file(header, ...details, `C|${details.length}|${total}`);
};

/** POST /api/v1/uploads as a gestore's software would, with its token; a thrown Response is returned. */
export async function postToApi(token: string, body: BodyInit, headers: Record<string, string>, query = "") {
  const { action } = await import("~/routes/api.v1.uploads");
  const request = new Request(`http://localhost:3999/api/v1/uploads${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  try {
    return await action({ request, params: {}, context: {} });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}
