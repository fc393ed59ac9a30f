import crypto from "node:crypto";
import { eq } from "drizzle-orm";
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
import { activeTrustedCertificate, listTrustedCertificates, listTrustedCrls, signaturesOf, trustedCertificateBySha } from "~db/queries/signatures";
import { trustedCertificates, trustedCrls } from "~db/schema";
import type { ChangeAuthor } from "~/audit/audit.server";
import type { SignatureView } from "./view";
import { contentFileName, parseCrl, revocationOf, signedContent, trustOf, type SignerReport } from "./verify.server";

/**
 * The signature views of some documents, trust and revocation evaluated now against the CA
 * certificates and revocation lists loaded (ADRs 72, 101). A certificate revoked before the
 * signature's time (the timestamp's when intact, otherwise now: a claimed signing time proves
 * nothing) makes the verdict "revocata".
 */
export async function signatureViews(db: DbOrTx, documentIds: string[], now = new Date()): Promise<Record<string, SignatureView>> {
  if (!documentIds.length) return {};
  const [rows, trusted, crls] = await Promise.all([signaturesOf(db, documentIds), listTrustedCertificates(db), listTrustedCrls(db)]);
  const ders = trusted.map((t) => t.der);
  const crlDers = crls.map((c) => c.der);
  const out: Record<string, SignatureView> = {};
  for (const r of rows) {
    const signers = await Promise.all(
      (r.signers as SignerReport[]).map(async ({ certificate, timestamp, ...s }) => {
        const revocation = await revocationOf({ certificate }, crlDers, ders, now);
        const at = timestamp?.intact ? new Date(timestamp.time) : now;
        const beforeSigning = revocation.status === "revoked" && new Date(revocation.revokedAt!) <= at;
        return { ...s, timestamp: timestamp ?? null, trusted: await trustOf({ certificate }, ders), revocation: { ...revocation, beforeSigning } };
      }),
    );
    const verdict = !r.intact
      ? "non_valida"
      : signers.some((s) => s.revocation.beforeSigning)
        ? "revocata"
        : signers.length && signers.every((s) => s.trusted)
          ? "verificata"
          : "non_verificata";
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
  const existing = await trustedCertificateBySha(db, sha256);
  if (existing && !existing.removedAt) throw new InputError("Questo certificato è già tra quelli di fiducia.", "certificate");
  // A certificate removed earlier is trusted again: the same row, so its history stays in one place.
  const [row] = existing
    ? await db.update(trustedCertificates).set({ removedAt: null, removedBy: null, addedBy: who.actor.userId }).where(eq(trustedCertificates.id, existing.id)).returning({ id: trustedCertificates.id, subject: trustedCertificates.subject })
    : await db.insert(trustedCertificates).values({ subject: cert.subject, sha256, der, notAfter: cert.notAfter, addedBy: who.actor.userId }).returning({ id: trustedCertificates.id, subject: trustedCertificates.subject });
  await audit(db, who, { action: "trusted_certificate.add", objectType: "trusted_certificate", objectId: row!.id, details: { subject: cert.subject, sha256 } });
  return row!;
}

/**
 * An administrator removes a CA certificate from the trusted ones (ADR 0101): the row stays,
 * marked removed, for the audit trail; signatures shown afterwards are no longer "verificata".
 */
export async function removeTrustedCertificate(db: DbOrTx, who: ChangeAuthor & { actor: { userId: string } }, id: string, now = new Date()) {
  const row = await activeTrustedCertificate(db, id);
  if (!row) throw new InputError("Certificato non trovato o già rimosso.");
  await db.update(trustedCertificates).set({ removedAt: now, removedBy: who.actor.userId }).where(eq(trustedCertificates.id, row.id));
  await audit(db, who, { action: "trusted_certificate.remove", objectType: "trusted_certificate", objectId: row.id, details: { subject: row.subject, sha256: row.sha256 } });
  return row;
}

/**
 * An administrator loads a certificate revocation list (PEM `X509 CRL` or base64 DER): readable,
 * issued by a trusted CA (signature checked), not already loaded. Italian errors; nothing written on a refusal.
 */
export async function addTrustedCrl(db: DbOrTx, who: ChangeAuthor & { actor: { userId: string } }, text: string) {
  if (!text.trim()) throw new InputError("Incollare l'elenco di revoca (CRL) dell'autorità di certificazione.", "crl");
  const crl = parseCrl(text);
  if (!crl) throw new InputError("Elenco di revoca non leggibile: incollare una CRL in formato PEM (-----BEGIN X509 CRL-----).", "crl");
  const cas = (await listTrustedCertificates(db)).filter((t) => t.subject === crl.issuer);
  let signed = false;
  for (const ca of cas) if (await crl.verify({ publicKey: new X509Certificate(new Uint8Array(ca.der)).publicKey })) signed = true;
  if (!signed) throw new InputError("L'elenco di revoca non è firmato da un'autorità tra i certificati di fiducia: caricare prima il certificato dell'autorità.", "crl");
  const der = Buffer.from(crl.rawData);
  const sha256 = crypto.createHash("sha256").update(der).digest("hex");
  const [row] = await db
    .insert(trustedCrls)
    .values({ issuer: crl.issuer, sha256, der, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate ?? null, addedBy: who.actor.userId })
    .onConflictDoNothing()
    .returning({ id: trustedCrls.id });
  if (!row) throw new InputError("Questo elenco di revoca è già stato caricato.", "crl");
  await audit(db, who, { action: "trusted_crl.add", objectType: "trusted_crl", objectId: row.id, details: { issuer: crl.issuer, sha256, entries: crl.entries.length } });
  return { issuer: crl.issuer, entries: crl.entries.length };
}

export async function trustedCertificatesPage() {
  const [certificates, crls] = await Promise.all([listTrustedCertificates(getDb()), listTrustedCrls(getDb())]);
  return {
    certificates: certificates.map((t) => ({ id: t.id, subject: t.subject, sha256: t.sha256, notAfter: t.notAfter.toISOString(), createdAt: t.createdAt.toISOString() })),
    crls: crls.map((c) => ({ id: c.id, issuer: c.issuer, thisUpdate: c.thisUpdate.toISOString(), nextUpdate: c.nextUpdate?.toISOString() ?? null })),
  };
}

export async function trustedCertificateAction(request: Request, signedIn: SignedIn) {
  const form = await requireForm(request, signedIn);
  const values = formValues(form);
  const who = { actor: signedIn.actor, ip: clientIp(request) };
  return runForm(values, async () => {
    if (values.intent === "remove") {
      const row = await getDb().transaction((tx) => removeTrustedCertificate(tx, who, String(values.id ?? "")));
      return `Certificato «${row.subject}» rimosso: le firme emesse da questa autorità non risultano più verificate.`;
    }
    if (values.intent === "crl") {
      const added = await getDb().transaction((tx) => addTrustedCrl(tx, who, String(values.crl ?? "")));
      return `Elenco di revoca di «${added.issuer}» caricato (${added.entries} certificati revocati).`;
    }
    const row = await addTrustedCertificate(getDb(), who, String(values.certificate ?? ""));
    return `Certificato «${row.subject}» aggiunto: le firme emesse da questa autorità risultano ora verificate.`;
  });
}
