import { describe, expect, it } from "vitest";
import { parseConfig } from "./config.server";

const prod = {
  NODE_ENV: "production",
  SAML_IDP: "external",
  SAML_IDP_METADATA_FILE: "/etc/idp.xml",
  SESSION_SECRET: "a-real-secret-of-enough-length",
  SAML_SP_KEY_FILE: "/etc/sp.key",
  SAML_SP_CERT_FILE: "/etc/sp.crt",
  BASE_URL: "https://pratiche.regione.example.it",
  DATABASE_URL: "postgres://u:p@db:5432/pratiche",
} as const;

describe("configuration", () => {
  it("has working defaults for a newcomer: built-in IdP and demo data", () => {
    const c = parseConfig({});
    expect(c.saml.idp).toBe("builtin");
    expect(c.demoData).toBe(true);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.baseUrl).toBe("http://localhost:3000");
  });

  it("accepts a complete production configuration", () => {
    const c = parseConfig({ ...prod });
    expect(c.production).toBe(true);
    expect(c.demoData).toBe(false);
  });

  it.each([
    [{ SAML_IDP: "builtin" }, "SAML_IDP"],
    [{ DEMO_DATA: "true" }, "DEMO_DATA"],
    [{ SESSION_SECRET: undefined }, "SESSION_SECRET"],
    [{ SAML_SP_KEY_FILE: undefined }, "SAML_SP_KEY_FILE"],
  ])("refuses production with %o, naming %s", (override, variable) => {
    expect(() => parseConfig({ ...prod, ...override })).toThrow(new RegExp(`${variable}:`));
  });

  it("names a wrong variable", () => {
    expect(() => parseConfig({ PORT: "ottanta" })).toThrow(/PORT:/);
    expect(() => parseConfig({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL:/);
    expect(() => parseConfig({ SAML_IDP: "external" })).toThrow(/SAML_IDP_METADATA_FILE:/);
  });

  it("gives accesses a 12-month term unless ACCESS_TERM_MONTHS says otherwise", () => {
    expect(parseConfig({}).accessTermMonths).toBe(12);
    expect(parseConfig({ ACCESS_TERM_MONTHS: "6" }).accessTermMonths).toBe(6);
    expect(() => parseConfig({ ACCESS_TERM_MONTHS: "0" })).toThrow(/ACCESS_TERM_MONTHS: almeno 1 mese/);
    expect(() => parseConfig({ ACCESS_TERM_MONTHS: "tanti" })).toThrow(/ACCESS_TERM_MONTHS:/);
  });

  it("takes the body's IPA code for the SPID metadata, and refuses one that is not an IPA code", () => {
    expect(parseConfig({}).organization.ipaCode).toBeUndefined();
    expect(parseConfig({ ORGANIZATION_IPA_CODE: "r_lazio" }).organization.ipaCode).toBe("r_lazio");
    expect(() => parseConfig({ ORGANIZATION_IPA_CODE: "r lazio<script>" })).toThrow(/ORGANIZATION_IPA_CODE: il codice IPA dell'ente/);
  });

  it("reads the intranet access point and the rate limits", () => {
    expect(parseConfig({}).intranet).toEqual({ cidrs: [], host: undefined });
    expect(parseConfig({ INTRANET_CIDRS: "10.0.0.0/8, 192.168.1.0/24", INTRANET_HOST: "Pratiche.Intranet.example" }).intranet).toEqual({
      cidrs: ["10.0.0.0/8", "192.168.1.0/24"],
      host: "pratiche.intranet.example",
    });
    expect(() => parseConfig({ INTRANET_CIDRS: "10.0.0.0/33" })).toThrow(/INTRANET_CIDRS: elenco di reti CIDR/);
    expect(() => parseConfig({ INTRANET_HOST: "http://x/" })).toThrow(/INTRANET_HOST:/);
    expect(parseConfig({}).rateLimits).toEqual({ authPerMinute: 30, apiPerMinute: 60 });
    expect(() => parseConfig({ RATE_LIMIT_API_PER_MINUTE: "0" })).toThrow(/RATE_LIMIT_API_PER_MINUTE:/);
  });

  it("treats an empty variable as unset", () => {
    expect(parseConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
  });
});
