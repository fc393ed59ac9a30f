import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { audit } from "~/audit/audit.server";
import { textPdf } from "~/lib/text-pdf";
import { getBranding } from "~/branding/branding.server";
import { allFields, fieldLabel, optionsOf, parseFormDefinition } from "~/forms/definition";
import type { FileRef } from "~/forms/validate";
import { italianDate } from "~/lib/dates";
import { italianDecimal } from "~/lib/decimal";
import { drizzleOver, getSql } from "~db/client";
import { applicationFiles, applications, formModels, procedures, users, type OnBehalfOf } from "~db/schema";

/** The time of receipt as the receipt and the pages show it: Europe/Rome, to the millisecond. */
export const dateTimeMs = (d: Date) =>
  `${d.toLocaleString("it-IT", { timeZone: "Europe/Rome" })},${String(d.getMilliseconds()).padStart(3, "0")}`;

/** Who an application is made for, as the receipt and the pages show it (ADR 91); null: in the applicant's own name. */
export const onBehalfText = (b: OnBehalfOf | null | undefined) =>
  b ? `${b.name} (codice fiscale / partita IVA ${b.code}), come legale rappresentante` : null;

/** An answer as the receipt and the pages show it, in Italian formats. */
export function shownAnswer(field: ReturnType<typeof allFields>[number], value: unknown): string {
  if (value === undefined || value === null) return "-";
  const label = (v: unknown) => optionsOf(field).find((o) => o.value === v)?.label ?? String(v);
  switch (field.type) {
    case "currency":
      return `${italianDecimal(String(value))} €`;
    case "day":
      return italianDate(String(value));
    case "checkbox":
      return value ? "Sì" : "No";
    case "select":
    case "radio":
      return label(value);
    case "selectboxes":
      return (value as string[]).map(label).join(", ") || "-";
    case "file": {
      const f = value as FileRef;
      return `${f.name} (${f.size} byte, SHA-256 ${f.sha256})`;
    }
    case "datagrid":
      return (value as Record<string, unknown>[]).map((row, i) => `riga ${i + 1}: ${Object.values(row).join(", ")}`).join("; ");
    default:
      return String(value);
  }
}

/**
 * The PDF receipt of a sent application (number, time of receipt, hash, applicant, procedure,
 * answers), stored with the application. Run by the receipt job; a second run finds it made.
 */
export async function makeReceipt(applicationId: string, now = new Date()) {
  return getSql().begin(async (tx) => {
    const db = drizzleOver(tx);
    const [row] = await db
      .select({ application: applications, procedure: procedures, model: formModels, applicant: users })
      .from(applications)
      .innerJoin(procedures, eq(procedures.id, applications.procedureId))
      .innerJoin(formModels, eq(formModels.id, applications.formModelId))
      .innerJoin(users, eq(users.id, applications.applicantUserId))
      .where(eq(applications.id, applicationId))
      .for("update", { of: applications });
    if (!row || !row.application.number || row.application.receiptFileId) return null;
    const a = row.application;
    const parsed = parseFormDefinition(row.model.definition);
    if (!parsed.ok) throw new Error("stored form definition no longer valid");
    const branding = await getBranding(db);
    const { line, bold, skip, finish } = await textPdf({ title: `Ricevuta della domanda ${a.number}`, producer: branding.bodyName, now });
    line(branding.bodyName, { f: bold, size: 12 });
    line(`Ricevuta della domanda ${a.number}`, { f: bold, size: 16, gap: 24 });
    line(`Procedimento: ${row.procedure.title}`, { wrap: true });
    line(`Richiedente: ${row.applicant.name} ${row.applicant.surname} (${row.applicant.fiscalCode})`);
    if (a.onBehalfOf) line(`Per conto di: ${onBehalfText(a.onBehalfOf)}`, { wrap: true });
    line(`Ricevuta il ${dateTimeMs(a.submittedAt!)} (ora italiana)`);
    line(`Impronta SHA-256 dei dati inviati: ${a.dataSha256}`, { size: 8, gap: 24, wrap: true });
    for (const panel of parsed.form.components) {
      const fields = allFields(parsed.form).filter((f) => f.page === panel.key && a.data[f.key] !== undefined);
      if (!fields.length) continue;
      line(fieldLabel(panel), { f: bold, size: 12 });
      for (const f of fields) line(`${fieldLabel(f)}: ${shownAnswer(f, a.data[f.key])}`, { wrap: true });
      skip(8);
    }
    const bytes = Buffer.from(await finish((n, of) => `${branding.bodyName} - domanda ${a.number} - pagina ${n} di ${of}`));
    const [file] = await db
      .insert(applicationFiles)
      .values({
        applicationId: a.id,
        kind: "ricevuta",
        fileName: `ricevuta-${a.number}.pdf`,
        contentType: "application/pdf",
        sizeBytes: bytes.length,
        sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
        content: bytes,
      })
      .returning();
    await db.update(applications).set({ receiptFileId: file!.id }).where(eq(applications.id, a.id));
    await audit(db, { system: "receipts" }, { action: "application.receipt", objectType: "application", objectId: a.id });
    return file!.id;
  });
}
