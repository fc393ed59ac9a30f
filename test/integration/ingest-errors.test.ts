import { beforeAll, describe, expect, it } from "vitest";
import { GESTORE_ALTRO, GESTORE_DEMO, seedDemo } from "../support/actors";
import { D, file, fixture, practiceState, T, uploadAndProcess, withTrailer } from "../support/uploads";

/**
 * Every error code of docs/upload-format.md, each shown with its line and field and with the
 * database unchanged afterwards. A base of accepted practices is loaded first.
 */
let baseline: string;

beforeAll(async () => {
  await seedDemo();
  const first = await uploadAndProcess(GESTORE_DEMO, fixture("valid-first.txt"));
  expect(first.upload.status).toBe("accepted");
  baseline = await practiceState();
});

async function expectRejected(content: string | Buffer, expected: { line: number; code: string; field?: string | null }[]) {
  const { upload } = await uploadAndProcess(GESTORE_DEMO, content);
  expect(upload.status).toBe("rejected");
  for (const e of expected) {
    const match = upload.errors.find((x) => x.line === e.line && x.code === e.code);
    expect(match, `${e.code} at line ${e.line} in ${JSON.stringify(upload.errors)}`).toBeDefined();
    if (e.field !== undefined) expect(match!.field).toBe(e.field);
    expect(match!.message).toMatch(/[a-zà-ù]{3,}/);
  }
  expect(await practiceState()).toBe(baseline);
  return upload;
}

describe("error codes", () => {
  it("ENCODING: Latin-1 text, with line and byte offset", async () => {
    const latin1 = Buffer.from(withTrailer(T(), D({ name: "Caffè Società" })), "latin1");
    const upload = await expectRejected(latin1, [{ line: 2, code: "ENCODING" }]);
    const offset = latin1.indexOf(0xe8);
    expect(upload.errors[0]!.message).toContain(`byte ${offset}`);
  });

  it("ENCODING: a binary file", async () => {
    const binary = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x81, 0x0a, 0xc3, 0x28]);
    await expectRejected(binary, [{ line: 1, code: "ENCODING" }]);
  });

  it("a leading BOM is accepted and ignored", async () => {
    const { upload } = await uploadAndProcess(GESTORE_DEMO, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(withTrailer(T("31/07/2020", "BOM-1"), D({ code: "PR-BOM" })))]));
    expect(upload.status).toBe("accepted");
    baseline = await practiceState();
  });

  it("EMPTY_LINE: an empty line between records; one final empty line is fine", async () => {
    await expectRejected(file(T(), "", D(), "C|1|1000"), [{ line: 2, code: "EMPTY_LINE" }]);
    await expectRejected(file(T(), D(), "C|1|1000", "", ""), [{ line: 4, code: "EMPTY_LINE" }]);
    const { upload } = await uploadAndProcess(GESTORE_DEMO, file(T("31/07/2020", "EMPTY-OK"), D({ code: "PR-EMPTY" }), "C|1|1000", ""));
    expect(upload.status).toBe("accepted");
    baseline = await practiceState();
  });

  it("FIELD_COUNT, RECORD_TYPE", async () => {
    await expectRejected(file(T(), D(), "X|foo", "C|1|1000"), [{ line: 3, code: "RECORD_TYPE", field: "tipo_record" }]);
    await expectRejected(file(T(), D() + "|extra", "C|1|1000"), [{ line: 2, code: "FIELD_COUNT" }]);
    await expectRejected(file("T|1|01234567897|31/07/2020", D(), "C|1|1000"), [{ line: 1, code: "FIELD_COUNT" }]);
  });

  it("HEADER: missing, duplicated", async () => {
    await expectRejected(file(D(), "C|1|1000"), [{ line: 1, code: "HEADER" }]);
    await expectRejected(file(T(), D(), T(), "C|1|1000"), [{ line: 3, code: "HEADER" }]);
  });

  it("TRAILER: missing (file cut short), misplaced, duplicated", async () => {
    const full = withTrailer(T(), D({ code: "A1" }), D({ code: "A2" }), D({ code: "A3" }));
    const cut = full.slice(0, full.indexOf("D|A3") + 10);
    await expectRejected(cut, [{ line: 4, code: "TRAILER" }, { line: 4, code: "FIELD_COUNT" }]);
    await expectRejected(file(T(), "C|0|0", D()), [{ line: 2, code: "TRAILER" }]);
  });

  it("TRAILER_MISMATCH: records dropped from a file whose trailer was kept", async () => {
    const lines = withTrailer(T(), D({ code: "B1" }), D({ code: "B2" }), D({ code: "B3" })).split("\n");
    lines.splice(2, 1);
    await expectRejected(lines.join("\n"), [{ line: 4, code: "TRAILER_MISMATCH", field: "numero_record_d" }]);
    await expectRejected(file(T(), D(), "C|1|999"), [{ line: 3, code: "TRAILER_MISMATCH", field: "totale_importo_richiesto" }]);
  });

  it("a header-only file", async () => {
    await expectRejected(file(T()), [{ line: 1, code: "TRAILER" }]);
  });

  it("an empty file", async () => {
    await expectRejected("", [{ line: 1, code: "HEADER" }, { line: 1, code: "TRAILER" }]);
  });

  it("VERSION, CF_INVALID and GESTORE_MISMATCH in the header (a file naming another gestore)", async () => {
    await expectRejected(withTrailer("T|2|01234567897|31/07/2020|X", D()), [{ line: 1, code: "VERSION", field: "versione" }]);
    await expectRejected(withTrailer("T|1|01234567890|31/07/2020|X", D()), [{ line: 1, code: "CF_INVALID", field: "cf_gestore" }]);
    await expectRejected(withTrailer(T("31/07/2020", "X", GESTORE_ALTRO), D()), [{ line: 1, code: "GESTORE_MISMATCH", field: "cf_gestore" }]);
  });

  it("FORMAT_DATE, DATE_FUTURE and STALE_FILE for data_riferimento", async () => {
    await expectRejected(withTrailer(T("31/06/2020"), D()), [{ line: 1, code: "FORMAT_DATE", field: "data_riferimento" }]);
    await expectRejected(withTrailer(T("01/01/2999"), D()), [{ line: 1, code: "DATE_FUTURE", field: "data_riferimento" }]);
    await expectRejected(withTrailer(T("29/06/2020"), D()), [{ line: 1, code: "STALE_FILE", field: "data_riferimento" }]);
  });

  it("FORMAT and DUPLICATE_SUBMISSION for id_invio", async () => {
    await expectRejected(withTrailer(T("31/07/2020", "invio con spazi"), D()), [{ line: 1, code: "FORMAT", field: "id_invio" }]);
    await expectRejected(withTrailer(T("31/07/2020", "2020-06-A"), D()), [{ line: 1, code: "DUPLICATE_SUBMISSION", field: "id_invio" }]);
  });

  it("FORMAT and DUPLICATE_PRACTICE for codice_pratica", async () => {
    await expectRejected(withTrailer(T(), D({ code: "PR 1" })), [{ line: 2, code: "FORMAT", field: "codice_pratica" }]);
    await expectRejected(withTrailer(T(), D({ code: "X" }), D({ code: "X" })), [{ line: 3, code: "DUPLICATE_PRACTICE", field: "codice_pratica" }]);
  });

  it("MEASURE_UNKNOWN and MEASURE_NOT_ALLOWED", async () => {
    await expectRejected(withTrailer(T(), D({ measure: "NON-ESISTE" })), [{ line: 2, code: "MEASURE_UNKNOWN", field: "codice_misura" }]);
    await expectRejected(withTrailer(T(), D({ measure: "INNOVA-PMI" })), [{ line: 2, code: "MEASURE_NOT_ALLOWED", field: "codice_misura" }]);
  });

  it("CF_INVALID for cf_beneficiario (11 digits and 16 characters)", async () => {
    await expectRejected(withTrailer(T(), D({ cf: "02342520159" }), D({ code: "Y", cf: "RSSMRA80A01H501X" })), [
      { line: 2, code: "CF_INVALID", field: "cf_beneficiario" },
      { line: 3, code: "CF_INVALID", field: "cf_beneficiario" },
    ]);
  });

  it("REQUIRED and TOO_LONG", async () => {
    await expectRejected(withTrailer(T(), D({ name: "" })), [{ line: 2, code: "REQUIRED", field: "denominazione" }]);
    await expectRejected(withTrailer(T(), D({ name: "x".repeat(201) })), [{ line: 2, code: "TOO_LONG", field: "denominazione" }]);
    await expectRejected(withTrailer(T(), D({ notes: "n".repeat(501) })), [{ line: 2, code: "TOO_LONG", field: "note" }]);
    await expectRejected(file(T(), D({ requested: "" }), "C|1|0"), [{ line: 2, code: "REQUIRED", field: "importo_richiesto" }]);
  });

  it("COMUNE_UNKNOWN and STATE_UNKNOWN", async () => {
    await expectRejected(withTrailer(T(), D({ comune: "999999" })), [{ line: 2, code: "COMUNE_UNKNOWN", field: "comune_istat" }]);
    await expectRejected(withTrailer(T(), D({ state: "APPROVATA" })), [{ line: 2, code: "STATE_UNKNOWN", field: "stato" }]);
  });

  it("FORMAT_AMOUNT", async () => {
    for (const bad of ["15.000,00", "15000.50", "-3", "1,234", "0"])
      await expectRejected(file(T(), D({ requested: bad }), "C|1|1000"), [{ line: 2, code: "FORMAT_AMOUNT", field: "importo_richiesto" }]);
  });

  it("FORMAT_DATE, DATE_FUTURE, DATE_ORDER for the practice's dates", async () => {
    await expectRejected(withTrailer(T(), D({ submitted: "31/02/2020" })), [{ line: 2, code: "FORMAT_DATE", field: "data_presentazione" }]);
    await expectRejected(withTrailer(T(), D({ submitted: "01/01/2999", stateDate: "01/01/2999" })), [{ line: 2, code: "DATE_FUTURE", field: "data_presentazione" }]);
    await expectRejected(withTrailer(T(), D({ stateDate: "01/04/2020" })), [{ line: 2, code: "DATE_ORDER", field: "data_stato" }]);
    await expectRejected(withTrailer(T(), D({ stateDate: "01/08/2020" })), [{ line: 2, code: "DATE_ORDER", field: "data_stato" }]);
    // PR-0002 is IN_ISTRUTTORIA since 10/04/2020: a later file cannot date a move before that.
    await expectRejected(
      withTrailer(T(), D({ code: "PR-0002", cf: "RSSMRA80A01H501U", submitted: "03/04/2020", state: "SOSPESA", stateDate: "05/04/2020" })),
      [{ line: 2, code: "DATE_ORDER", field: "data_stato" }],
    );
  });

  it("AMOUNT_INCONSISTENT", async () => {
    await expectRejected(withTrailer(T(), D({ state: "DELIBERATA", approved: "" })), [{ line: 2, code: "AMOUNT_INCONSISTENT", field: "importo_deliberato" }]);
    await expectRejected(withTrailer(T(), D({ approved: "500" })), [{ line: 2, code: "AMOUNT_INCONSISTENT", field: "importo_deliberato" }]);
    await expectRejected(withTrailer(T(), D({ state: "DELIBERATA", approved: "2000" })), [{ line: 2, code: "AMOUNT_INCONSISTENT", field: "importo_deliberato" }]);
    await expectRejected(withTrailer(T(), D({ state: "EROGATA", approved: "800", disbursed: "" })), [{ line: 2, code: "AMOUNT_INCONSISTENT", field: "importo_erogato" }]);
    await expectRejected(withTrailer(T(), D({ state: "EROGATA", approved: "800", disbursed: "900" })), [{ line: 2, code: "AMOUNT_INCONSISTENT", field: "importo_erogato" }]);
  });

  it("IMMUTABLE_FIELD for measure and beneficiary", async () => {
    await expectRejected(
      withTrailer(T(), D({ code: "PR-0001", cf: "97735020584", state: "PRESENTATA", stateDate: "02/04/2020", requested: "25000" })),
      [{ line: 2, code: "IMMUTABLE_FIELD", field: "cf_beneficiario" }],
    );
  });

  it("TRANSITION_NOT_ALLOWED names both states", async () => {
    const upload = await expectRejected(
      withTrailer(T(), D({ code: "PR-0004", cf: "02000000428", submitted: "07/04/2020", state: "IN_ISTRUTTORIA", stateDate: "20/07/2020", requested: "100000" })),
      [{ line: 2, code: "TRANSITION_NOT_ALLOWED", field: "stato" }],
    );
    expect(upload.errors[0]!.message).toContain("da EROGATA a IN_ISTRUTTORIA");
  });

  it("lists at most 1,000 errors in line order and counts them all", async () => {
    const details = Array.from({ length: 1500 }, (_, i) => D({ code: `E${i}`, comune: "999999" }));
    const upload = await expectRejected(withTrailer(T(), ...details), [{ line: 2, code: "COMUNE_UNKNOWN" }]);
    expect(upload.errorCount).toBe(1500);
    expect(upload.errors).toHaveLength(1000);
    expect(upload.errors[999]!.line).toBe(1001);
  });
});

describe("size limit", () => {
  it("FILE_TOO_LARGE: a declared size over 200 MB is refused before reading anything", async () => {
    const { receiveUpload } = await import("~/uploads/receive.server");
    const { FileTooLargeError } = await import("~/uploads/storage.server");
    const { gestoreId } = await import("../support/uploads");
    let read = false;
    const body = (async function* () {
      read = true;
      yield new Uint8Array(1);
    })();
    await expect(
      receiveUpload({ gestoreId: await gestoreId(GESTORE_DEMO), userId: null, channel: "api", fileName: "big.txt", declaredSize: 200 * 1024 * 1024 + 1, body, who: { actor: {}, ip: null } }),
    ).rejects.toBeInstanceOf(FileTooLargeError);
    expect(read).toBe(false);
  });

  it("FILE_TOO_LARGE: a stream that grows past 200 MB is cut off and nothing is kept", async () => {
    const { receiveUpload } = await import("~/uploads/receive.server");
    const { FileTooLargeError } = await import("~/uploads/storage.server");
    const { gestoreId } = await import("../support/uploads");
    const { getDb } = await import("~db/client");
    const { uploads } = await import("~db/schema");
    const before = (await getDb().select().from(uploads)).length;
    const mb = new Uint8Array(1024 * 1024).fill(0x41);
    const body = (async function* () {
      for (let i = 0; i < 201; i++) yield mb;
    })();
    await expect(
      receiveUpload({ gestoreId: await gestoreId(GESTORE_DEMO), userId: null, channel: "api", fileName: "big.txt", body, who: { actor: {}, ip: null } }),
    ).rejects.toBeInstanceOf(FileTooLargeError);
    expect((await getDb().select().from(uploads)).length).toBe(before);
  });
});

describe("free text reaches the database exactly", () => {
  it("keeps backslashes, tabs and accents in names and notes", async () => {
    const { getDb } = await import("~db/client");
    const { practices } = await import("~db/schema");
    const { eq } = await import("drizzle-orm");
    const name = "Caffè \\ Società\tdi Prova";
    const notes = "nota con \\N e \\t letterali";
    const { upload } = await uploadAndProcess(GESTORE_DEMO, withTrailer(T("31/07/2020", "TEXT-1"), D({ code: "PR-TEXT", name, notes })));
    expect(upload.status).toBe("accepted");
    const [row] = await getDb().select().from(practices).where(eq(practices.code, "PR-TEXT"));
    expect(row).toMatchObject({ beneficiaryName: name.trim(), notes });
    baseline = await practiceState();
  });
});
