import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { storeDocument } from "~/backoffice/documents.server";
import { practiceDossierPart } from "~/backoffice/pages.server";
import * as contentRoute from "~/routes/documenti.$id.contenuto";
import * as trustRoute from "~/routes/admin.certificati-fiducia";
import { loadSession } from "~/auth/session.server";
import { getDb, getSql } from "~db/client";
import { auditLog, documentSignatures, practices, trustedCertificates } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf, viewerOf } from "../support/actors";
import { cades, makeSigner, signedPdf, tamper, type TestSigner } from "../support/signatures";
import { fixture, uploadAndProcess } from "../support/uploads";

const original = Buffer.from("%PDF-1.4\n% Contratto di garanzia\n%%EOF\n");
let practice: { id: number; gestoreId: string };
let lauraId: string;
let signer: TestSigner;

async function store(name: string, bytes: Buffer) {
  return getSql().begin((tx) =>
    storeDocument(tx, { file: { name, bytes }, docType: "altro", gestoreId: practice.gestoreId, practiceId: practice.id, side: "ufficio", uploadedBy: lauraId }),
  );
}

async function dossier(cf: string) {
  const v = await viewerOf(cf);
  const u = await userOf(cf);
  return practiceDossierPart({ actor: { ...v, fiscalCode: cf, name: u.name, surname: u.surname, email: u.email, accessId: "" }, session: null as never }, practice);
}

async function adminSession() {
  const cookie = await cookieFor(PEOPLE.amministratore);
  const session = await loadSession(new Request("http://localhost:3999/", { headers: { cookie } }));
  return { cookie, csrf: session!.csrfToken };
}

const pem = (der: ArrayBuffer) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE-----`;

beforeAll(async () => {
  await seedDemo();
  await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
  const [p] = await getDb().select().from(practices).limit(1);
  practice = { id: p!.id, gestoreId: p!.gestoreId };
  lauraId = (await userOf(PEOPLE.funzionario)).id;
  signer = await makeSigner({ fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" });
});

describe("signed documents in a dossier", () => {
  it("checks a .p7m on upload: intact, signer and fiscal code shown, not verified without the trust list; its content downloads as the original type", async () => {
    const doc = await store("contratto.pdf.p7m", await cades(signer, original));
    const view = (await dossier(PEOPLE.funzionario)).signatures[doc.id]!;
    expect(view).toMatchObject({ format: "cades", intact: true, verdict: "non_verificata", signers: [{ name: "Mario Rossi", fiscalCode: "RSSMRA80A01H501U", trusted: false }] });
    const { response } = await statusOf(contentRoute.loader, { path: `/documenti/${doc.id}/contenuto`, params: { id: doc.id }, cookie: await cookieFor(PEOPLE.funzionario) });
    expect(response!.headers.get("content-type")).toBe("application/pdf");
    expect(response!.headers.get("content-disposition")).toContain('filename="contratto.pdf"');
    expect(Buffer.from(await response!.arrayBuffer())).toEqual(original);
    // Another gestore's person may not read it.
    expect((await statusOf(contentRoute.loader, { path: "/", params: { id: doc.id }, cookie: await cookieFor(PEOPLE.altroOperatore) })).status).toBe(403);
  });

  it("stores a tampered .p7m and flags it, never hides it", async () => {
    const p7m = await cades(signer, original);
    const doc = await store("alterato.pdf.p7m", tamper(p7m, original));
    const [row] = await getDb().select().from(documentSignatures).where(eq(documentSignatures.documentId, doc.id));
    expect(row).toMatchObject({ intact: false, problem: "Firma non valida: il documento o la firma sono stati alterati." });
    expect((await dossier(PEOPLE.operatore)).signatures[doc.id]).toMatchObject({ verdict: "non_valida", signers: [{ name: "Mario Rossi", intact: false }] });
  });

  it("checks each signature of a signed PDF; an unsigned PDF has no signature row", async () => {
    const signed = await store("determina.pdf", await signedPdf(signer));
    const plain = await store("nota.pdf", original);
    const views = (await dossier(PEOPLE.funzionario)).signatures;
    expect(views[signed.id]).toMatchObject({ format: "pades", intact: true, signers: [{ fiscalCode: "RSSMRA80A01H501U" }] });
    expect(views[plain.id]).toBeUndefined();
  });

  it.each([
    ["nothing", "", "Incollare il certificato dell'autorità di certificazione (formato PEM)."],
    ["text that is no certificate", "-----BEGIN CERTIFICATE-----\nnon è un certificato\n-----END CERTIFICATE-----", "Certificato non leggibile"],
  ])("refuses %s as a trusted certificate, in Italian, and nothing changes", async (_, certificate, message) => {
    const { cookie, csrf } = await adminSession();
    const before = await getDb().select({ n: count() }).from(trustedCertificates);
    const { data } = await statusOf(trustRoute.action, { path: "/admin/certificati-fiducia", cookie, form: { csrf, certificate } });
    expect((data as { ok: boolean; error: string }).ok).toBe(false);
    expect((data as { error: string }).error).toContain(message);
    expect(await getDb().select({ n: count() }).from(trustedCertificates)).toEqual(before);
  });

  it("refuses a certificate that is not an authority's, then makes signatures 'verificata' once the CA is loaded", async () => {
    const { cookie, csrf } = await adminSession();
    const notCa = await statusOf(trustRoute.action, { path: "/", cookie, form: { csrf, certificate: pem(signer.cert.rawData) } });
    expect((notCa.data as { error: string }).error).toContain("Il certificato non è di un'autorità di certificazione");
    expect(await getDb().select({ n: count() }).from(trustedCertificates)).toEqual([{ n: 0 }]);
    const ok = await statusOf(trustRoute.action, { path: "/", cookie, form: { csrf, certificate: pem(signer.ca.rawData) } });
    expect(ok.data).toMatchObject({ ok: true });
    const again = await statusOf(trustRoute.action, { path: "/", cookie, form: { csrf, certificate: pem(signer.ca.rawData) } });
    expect((again.data as { error: string }).error).toBe("Questo certificato è già tra quelli di fiducia.");
    const views = Object.values((await dossier(PEOPLE.funzionario)).signatures);
    expect(views.filter((v) => v.intact).every((v) => v.verdict === "verificata")).toBe(true);
    expect(views.some((v) => v.verdict === "non_valida")).toBe(true);
    expect(await getDb().select().from(auditLog).where(eq(auditLog.action, "trusted_certificate.add"))).toHaveLength(1);
    expect((await statusOf(trustRoute.loader, { path: "/", cookie: await cookieFor(PEOPLE.dirigente) })).status).toBe(403);
  });
});
