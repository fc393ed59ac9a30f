import { describe, expect, it } from "vitest";
import { redact } from "./logger.server";

describe("log redaction", () => {
  it("masks personal and numeric codici fiscali, including omocodic ones", () => {
    const line = redact('{"msg":"x","cf":"RSSMRA80A01H501U","other":"rssmra80a01h50mu","piva":"02342520158"}');
    expect(line).not.toMatch(/RSSMRA80A01H501U|rssmra80a01h50mu|02342520158/);
    expect(line.match(/\[CF\]/g)).toHaveLength(3);
  });

  it("leaves ordinary text alone", () => {
    expect(redact("web server listening on 3000")).toBe("web server listening on 3000");
  });
});
