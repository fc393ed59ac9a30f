import { describe, expect, it } from "vitest";
import { cades, makeSigner, signedPdf, tamper } from "../../test/support/signatures";
import { signedContent, trustOf, verifyCades, verifyPades } from "./verify.server";

const content = Buffer.from("%PDF-1.4\n% Contratto di garanzia tra Confidi Demo e Rossi Mario\n%%EOF\n");

describe("signed documents", () => {
  it("verifies a CAdES .p7m: the content, the signer's name and fiscal code, signing time and validity", async () => {
    const signer = await makeSigner({ fiscalCode: "RSSMRA80A01H501U" });
    const at = new Date("2026-11-20T09:30:00Z");
    const p7m = await cades(signer, content, at);
    const r = await verifyCades(p7m);
    expect(r).toMatchObject({ format: "cades", intact: true, problem: null });
    expect(r.signers).toHaveLength(1);
    expect(r.signers[0]).toMatchObject({ name: "Mario Rossi", fiscalCode: "RSSMRA80A01H501U", signingTime: at.toISOString(), intact: true });
    expect(Date.parse(r.signers[0]!.notAfter)).toBeGreaterThan(Date.now());
    expect(signedContent(p7m)).toEqual(content);
    // Also as base64 text, as some tools save it.
    expect((await verifyCades(Buffer.from(p7m.toString("base64")))).intact).toBe(true);
  });

  it("flags a tampered .p7m and a file that is no envelope at all", async () => {
    const signer = await makeSigner();
    const p7m = await cades(signer, content);
    const broken = await verifyCades(tamper(p7m, content));
    expect(broken).toMatchObject({ intact: false, problem: "Firma non valida: il documento o la firma sono stati alterati." });
    expect(broken.signers[0]).toMatchObject({ name: "Mario Rossi", intact: false });
    expect(await verifyCades(Buffer.from("non una firma"))).toMatchObject({ intact: false, problem: "Il file .p7m non contiene una busta di firma leggibile." });
  });

  it("verifies each signature of a signed PDF, and flags a changed one", async () => {
    const signer = await makeSigner({ fiscalCode: "BNCGLI85M41A271Q", name: "Giulia Bianchi" });
    const pdf = await signedPdf(signer);
    const r = await verifyPades(pdf);
    expect(r).toMatchObject({ format: "pades", intact: true, signers: [{ name: "Giulia Bianchi", fiscalCode: "BNCGLI85M41A271Q", intact: true }] });
    const changed = Buffer.from(pdf.toString("latin1").replace("n. 42", "n. 43"), "latin1");
    expect(await verifyPades(changed)).toMatchObject({ intact: false, signers: [{ intact: false }] });
    expect(await verifyPades(Buffer.from("%PDF-1.4\n%%EOF\n"))).toBeNull();
  });

  it("trusts a signer only when its issuer is among the loaded CA certificates", async () => {
    const signer = await makeSigner();
    const other = await makeSigner({ caName: "Altra CA" });
    const r = await verifyCades(await cades(signer, content));
    expect(await trustOf(r.signers[0]!, [])).toBe(false);
    expect(await trustOf(r.signers[0]!, [Buffer.from(other.ca.rawData)])).toBe(false);
    expect(await trustOf(r.signers[0]!, [Buffer.from(signer.ca.rawData)])).toBe(true);
  });
});
