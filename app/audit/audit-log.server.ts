import { todayInRome } from "~/lib/dates";
import { z } from "zod";
import { csvLine, CSV_BOM } from "~/lib/csv";
import { getDb } from "~db/client";
import { auditEntriesForExport, listAuditEntries, type AuditFilter } from "~db/queries/audit";
import { AUDIT_OUTCOMES } from "~db/schema";
import { AUDIT_CSV_HEADER, auditCsvCells } from "./audit-csv";
import { audit } from "./audit.server";
import type { SignedIn } from "~/auth/guards.server";
import { clientIp } from "~/lib/request.server";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "data non valida").optional().or(z.literal("").transform(() => undefined));
const optionalText = z.string().trim().max(100).optional().transform((v) => v || undefined);

export const auditFilterSchema = z.object({
  from: isoDate,
  to: isoDate,
  actor: optionalText,
  action: optionalText,
  outcome: z.enum(AUDIT_OUTCOMES).optional().or(z.literal("").transform(() => undefined)),
  before: z.coerce.number().int().positive().optional(),
});

export function parseAuditFilter(url: URL) {
  const result = auditFilterSchema.safeParse(Object.fromEntries(url.searchParams));
  if (!result.success) return { filter: {} as AuditFilter, before: undefined, error: "Filtri non validi: sono stati ignorati." };
  const { before, ...filter } = result.data;
  return { filter: filter as AuditFilter, before, error: null };
}

export async function browseAuditLog(url: URL) {
  const { filter, before, error } = parseAuditFilter(url);
  const page = await listAuditEntries(getDb(), filter, { beforeId: before });
  return { filter, error, ...page };
}


/** Streams the filtered log as CSV; the export itself is audited. */
export async function exportAuditCsv(request: Request, signedIn: SignedIn) {
  const url = new URL(request.url);
  const { filter } = parseAuditFilter(url);
  const db = getDb();
  await audit(db, { actor: signedIn.actor, ip: clientIp(request) }, { action: "audit.export", details: { filter } });
  const encoder = new TextEncoder();
  const rows = auditEntriesForExport(db, filter);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(CSV_BOM + csvLine(AUDIT_CSV_HEADER)));
    },
    async pull(controller) {
      const next = await rows.next();
      if (next.done) return controller.close();
      controller.enqueue(
        encoder.encode(
          next.value
            .map((r) => csvLine(auditCsvCells(r)))
            .join(""),
        ),
      );
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="registro-accessi-${todayInRome()}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
