import crypto from "node:crypto";
import { X509Certificate, BasicConstraintsExtension } from "@peculiar/x509";
import { audit } from "~/audit/audit.server";
import { requireForm, requireInScope, type SignedIn } from "~/auth/guards.server";
import { formValues, runForm } from "~/lib/form-action.server";
import { documentBytes } from "~/backoffice/documents.server";
import { ALLOWED_FORMATS } from "~/backoffice/documents.server";
import { InputError } from "~/lib/errors";
import { clientIp } from "~/lib/request.server";
import { getDb, getSql, type DbOrTx } from "~db/client";
import { getDocument } from "~db/queries/backoffice";
import { listTrustedCertificates, signaturesOf } from "~db/queries/signatures";
import { trustedCertificates } from "~db/schema";
import type { ChangeAuthor } from "~/audit/audit.server";
import type { SignatureView } from "./view";
import { contentFileName, signedContent, trustOf, type SignerReport } from "./verify.server";

/** The signature views of some documents, trust evaluated now against the loaded CA certificates. */
export async function signatureViews(db: DbOrTx, documentIds: string[]): Promise<Record<string, SignatureView>> {
  if (!documentIds.length) return {};
  const [rows, trusted] = await Promise.all([signaturesOf(db, documentIds), listTrustedCertificates(db)]);
  const ders = trusted.map((t) => t.der);
  const out: Record<string, SignatureView> = {};
  for (const r of rows) {
    const signers = await Promise.all(
      (r.signers as SignerReport[]).map(async ({ certificate, ...s }) => ({ ...s, trusted: await trustOf({ certificate }, ders) })),
    );
    const verdict = !r.intact ? "non_valida" : signers.length && signers.every((s) => s.trusted) ? "verificata" : "non_verificata";
    out[r.documentId] = { format: r.format, intact: r.intact, problem: r.problem, verdict, signers };
  }
  return out;
}

/** The content inside a `.p7m`, downloaded as its original type; audited like the document. */
export async function signedContentDownload(request: Request, signedIn: SignedIn, id: string) {
  const doc = await requireInScope(request, signedIn.actor, () => getDocument(getDb(), signedIn.actor, id), "Documento non trovato.");
  const content = /\.p7m$/i.test(doc.fileName) ? signedContent(await documentBytes(getSql(), doc.id)) : null;
  if (!content) throw new Response("Il documento non contiene un contenuto firmato da estrarre.", { status: 404 });
  const name = contentFileName(doc.fileName);
  const ext = name.toLowerCase().split(".").pop() ?? "";
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, { action: "document.signed_content_download", objectType: "document", objectId: doc.id, gestoreId: doc.gestoreId });
  return new Response(new Uint8Array(content), {
    headers: {
      "content-type": ALLOWED_FORMATS[ext] ?? "application/octet-stream",
      "content-disposition": `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "cache-control": "private, no-store",
    },
  });
}

/**
 * An administrator adds a trusted CA certificate (PEM or base64 DER): it must be readable, a CA
 * (basic constraints), not already loaded. Italian errors; nothing is written on a refusal.
 */
export async function addTrustedCertificate(db: DbOrTx, who: ChangeAuthor & { actor: { userId: string } }, text: string) {
  const body = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  if (!body) throw new InputError("Incollare il certificato dell'autorità di certificazione (formato PEM).", "certificate");
  let cert: X509Certificate;
  try {
    if (!/^[A-Za-z0-9+/=]+$/.test(body)) throw new Error("not base64");
    cert = new X509Certificate(new Uint8Array(Buffer.from(body, "base64")));
  } catch {
    throw new InputError("Certificato non leggibile: incollare un certificato X.509 in formato PEM.", "certificate");
  }
  const bc = cert.getExtension(BasicConstraintsExtension);
  if (!bc?.ca) throw new InputError("Il certificato non è di un'autorità di certificazione (manca «CA: vero»).", "certificate");
  const der = Buffer.from(cert.rawData);
  const sha256 = crypto.createHash("sha256").update(der).digest("hex");
  const existing = await listTrustedCertificates(db);
  if (existing.some((t) => t.sha256 === sha256)) throw new InputError("Questo certificato è già tra quelli di fiducia.", "certificate");
  const [row] = await db.insert(trustedCertificates).values({ subject: cert.subject, sha256, der, notAfter: cert.notAfter, addedBy: who.actor.userId }).returning({ id: trustedCertificates.id, subject: trustedCertificates.subject });
  await audit(db, who, { action: "trusted_certificate.add", objectType: "trusted_certificate", objectId: row!.id, details: { subject: cert.subject, sha256 } });
  return row!;
}

export async function trustedCertificatesPage() {
  return (await listTrustedCertificates(getDb())).map((t) => ({ id: t.id, subject: t.subject, sha256: t.sha256, notAfter: t.notAfter.toISOString(), createdAt: t.createdAt.toISOString() }));
}

export async function trustedCertificateAction(request: Request, signedIn: SignedIn) {
  const form = await requireForm(request, signedIn);
  const values = formValues(form);
  return runForm(values, async () => {
    const row = await addTrustedCertificate(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, String(values.certificate ?? ""));
    return `Certificato «${row.subject}» aggiunto: le firme emesse da questa autorità risultano ora verificate.`;
  });
}
