import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { storeDocument } from "~/backoffice/documents.server";
import { practiceDossierPart } from "~/backoffice/pages.server";
import { loadSession } from "~/auth/session.server";
import * as trustRoute from "~/routes/admin.certificati-fiducia";
import { getDb, getSql } from "~db/client";
import { auditLog, practices, trustedCertificates, trustedCrls } from "~db/schema";
import { cookieFor, GESTORE_DEMO, PEOPLE, seedDemo, statusOf, userOf, viewerOf } from "../support/actors";
import { cades, makeCrl, makeSigner, timestampedCades, type TestSigner } from "../support/signatures";
import { fixture, uploadAndProcess } from "../support/uploads";

/** Revocation lists, timestamps and removing a trusted CA (issue 17, docs/decisions/0101); every CA and CRL made here. */

const original = Buffer.from("%PDF-1.4\n% Atto di concessione\n%%EOF\n");
let practice: { id: number; gestoreId: string };
let lauraId: string;
let mario: TestSigner, tsa: TestSigner;

async function store(name: string, bytes: Buffer) {
  return getSql().begin((tx) =>
    storeDocument(tx, { file: { name, bytes }, docType: "altro", gestoreId: practice.gestoreId, practiceId: practice.id, side: "ufficio", uploadedBy: lauraId }),
  );
}

async function viewOf(id: string) {
  const cf = PEOPLE.funzionario;
  const v = await viewerOf(cf);
  const u = await userOf(cf);
  const part = await practiceDossierPart({ actor: { ...v, fiscalCode: cf, name: u.name, surname: u.surname, email: u.email, accessId: "" }, session: null as never }, practice);
  return part.signatures[id]!;
}

async function admin() {
  const cookie = await cookieFor(PEOPLE.amministratore);
  const session = await loadSession(new Request("http://localhost:3999/", { headers: { cookie } }));
  return { cookie, csrf: session!.csrfToken };
}

async function post(form: Record<string, string>) {
  const { cookie, csrf } = await admin();
  return (await statusOf(trustRoute.action, { path: "/admin/certificati-fiducia", cookie, form: { csrf, ...form } })).data as { ok: boolean; error?: string; message?: string };
}

const pem = (der: ArrayBuffer) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64")}\n-----END CERTIFICATE-----`;
const crlCount = async () => (await getDb().select({ n: count() }).from(trustedCrls))[0]!.n;

beforeAll(async () => {
  await seedDemo();
  await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
  const [p] = await getDb().select().from(practices).limit(1);
  practice = { id: p!.id, gestoreId: p!.gestoreId };
  lauraId = (await userOf(PEOPLE.funzionario)).id;
  [mario, tsa] = await Promise.all([
    makeSigner({ name: "Mario Rossi", caName: "CA qualificata di prova" }),
    makeSigner({ name: "Marca Temporale", caName: "CA marche temporali di prova" }),
  ]);
}, 60_000);

describe("timestamps", () => {
  it("shows an RFC 3161 timestamp's time and authority; a token over another signature is flagged, not trusted", async () => {
    const at = new Date("2026-11-20T10:15:00Z");
    const good = await store("con-marca.pdf.p7m", await timestampedCades(mario, tsa, original, at));
    expect((await viewOf(good.id)).signers[0]).toMatchObject({ name: "Mario Rossi", timestamp: { time: at.toISOString(), authority: "Marca Temporale", intact: true } });
    const other = await store("marca-altrui.pdf.p7m", await timestampedCades(mario, tsa, original, at, Buffer.from("un'altra firma")));
    expect((await viewOf(other.id)).signers[0]!.timestamp).toMatchObject({ intact: false });
    const plain = await store("senza-marca.pdf.p7m", await cades(mario, original));
    expect((await viewOf(plain.id)).signers[0]!.timestamp).toBeNull();
  });
});

describe("revocation", () => {
  it("says 'revoca non verificabile' without a current list, refuses lists it cannot trust (Italian, nothing written), and flags a certificate revoked before signing", async () => {
    const doc = await store("contratto.pdf.p7m", await cades(mario, original));
    expect((await viewOf(doc.id)).signers[0]!.revocation).toMatchObject({ status: "unknown" });

    // Before its CA is trusted, a CRL cannot be checked: refused.
    const early = await makeCrl(mario, [{ cert: mario.cert, at: new Date(Date.now() - 86_400_000) }]);
    expect(await post({ intent: "crl", crl: early })).toMatchObject({ ok: false, error: expect.stringContaining("non è firmato da un'autorità tra i certificati di fiducia") });
    expect(await post({ intent: "crl", crl: "-----BEGIN X509 CRL-----\nnon una crl\n-----END X509 CRL-----" })).toMatchObject({ ok: false, error: expect.stringContaining("Elenco di revoca non leggibile") });
    expect(await post({ intent: "crl", crl: "" })).toMatchObject({ ok: false, error: expect.stringContaining("Incollare l'elenco di revoca") });
    expect(await crlCount()).toBe(0);

    expect(await post({ certificate: pem(mario.ca.rawData) })).toMatchObject({ ok: true });
    expect(await viewOf(doc.id)).toMatchObject({ verdict: "verificata", signers: [{ revocation: { status: "unknown" } }] });

    // A stale list (next update past) says nothing about today.
    const stale = await makeCrl(mario, [], { thisUpdate: new Date(Date.now() - 20 * 86_400_000), nextUpdate: new Date(Date.now() - 10 * 86_400_000) });
    expect(await post({ intent: "crl", crl: stale })).toMatchObject({ ok: true });
    expect((await viewOf(doc.id)).signers[0]!.revocation).toMatchObject({ status: "unknown" });

    // A current list without the certificate: not revoked, with the list's date.
    const clean = await makeCrl(mario, [], { thisUpdate: new Date(Date.now() - 2 * 3_600_000) });
    expect(await post({ intent: "crl", crl: clean })).toMatchObject({ ok: true });
    expect((await viewOf(doc.id)).signers[0]!.revocation).toMatchObject({ status: "good", listDate: expect.any(String) });
    expect(await post({ intent: "crl", crl: clean })).toMatchObject({ ok: false, error: "Questo elenco di revoca è già stato caricato." });

    // A newer list revoking it: the signature (no timestamp: judged now) is flagged.
    const revokedAt = new Date(Date.now() - 3_600_000);
    expect(await post({ intent: "crl", crl: await makeCrl(mario, [{ cert: mario.cert, at: revokedAt }], { thisUpdate: new Date(Date.now() - 60_000) }) })).toMatchObject({ ok: true });
    const view = await viewOf(doc.id);
    expect(view).toMatchObject({ verdict: "revocata", signers: [{ revocation: { status: "revoked", beforeSigning: true } }] });
    expect(new Date(view.signers[0]!.revocation.revokedAt!).getTime()).toBe(Math.floor(revokedAt.getTime() / 1000) * 1000);
    expect(await getDb().select().from(auditLog).where(eq(auditLog.action, "trusted_crl.add"))).toHaveLength(3);

    // Timestamped before the revocation, the signature stands; the revocation is still shown.
    const before = await store("marcato.pdf.p7m", await timestampedCades(mario, tsa, original, new Date(revokedAt.getTime() - 86_400_000)));
    expect(await viewOf(before.id)).toMatchObject({ verdict: "verificata", signers: [{ revocation: { status: "revoked", beforeSigning: false } }] });
  });
});

describe("removing a trusted certificate", () => {
  it("is audited, and documents shown afterwards are no longer verified; removing twice is refused in Italian; loading it again restores it", async () => {
    const signer = await makeSigner({ name: "Anna Verdi", caName: "CA da rimuovere" });
    const doc = await store("verbale.pdf.p7m", await cades(signer, original));
    expect(await post({ certificate: pem(signer.ca.rawData) })).toMatchObject({ ok: true });
    expect((await viewOf(doc.id)).verdict).toBe("verificata");
    const [row] = await getDb().select().from(trustedCertificates).where(eq(trustedCertificates.subject, signer.ca.subject));
    expect(await post({ intent: "remove", id: row!.id })).toMatchObject({ ok: true, message: expect.stringContaining("rimosso") });
    expect(await viewOf(doc.id)).toMatchObject({ verdict: "non_verificata", signers: [{ trusted: false }] });
    const [removed] = await getDb().select().from(trustedCertificates).where(eq(trustedCertificates.id, row!.id));
    expect(removed!.removedAt).not.toBeNull();
    const [audited] = await getDb().select().from(auditLog).where(eq(auditLog.action, "trusted_certificate.remove"));
    expect(audited).toMatchObject({ objectId: row!.id, actorUserId: (await userOf(PEOPLE.amministratore)).id });
    const snapshot = JSON.stringify(await getDb().select().from(trustedCertificates));
    expect(await post({ intent: "remove", id: row!.id })).toMatchObject({ ok: false, error: "Certificato non trovato o già rimosso." });
    expect(JSON.stringify(await getDb().select().from(trustedCertificates))).toBe(snapshot);
    expect((await trustRoute.loader({ request: new Request("http://localhost:3999/admin/certificati-fiducia", { headers: { cookie: (await admin()).cookie } }), params: {}, context: {} })).certificates.map((c) => c.id)).not.toContain(row!.id);
    expect(await post({ certificate: pem(signer.ca.rawData) })).toMatchObject({ ok: true });
    expect((await viewOf(doc.id)).verdict).toBe("verificata");
  });
});
