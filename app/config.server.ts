import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseCidr } from "~/lib/cidr";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const DEFAULT_SESSION_SECRET = "dev-only-session-secret-change-me";

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.url({ message: "deve essere un URL postgres://..." }).optional(),
    MIGRATION_DATABASE_URL: z.url({ message: "deve essere un URL postgres://..." }).optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    WEB_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),
    WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
    BASE_URL: z.url().optional(),
    DATA_DIR: z.string().min(1).default(".data"),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    SESSION_SECRET: z.string().min(16, "almeno 16 caratteri").default(DEFAULT_SESSION_SECRET),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(8),
    SAML_IDP: z.enum(["builtin", "external"]).default("builtin"),
    SAML_IDP_METADATA_FILE: z.string().optional(),
    SAML_IDP_METADATA_URL: z.url().optional(),
    SAML_IDP_ENTITY_ID: z.string().optional(),
    SAML_IDP_SSO_URL: z.url().optional(),
    SAML_IDP_CERT_FILE: z.string().optional(),
    SAML_SP_KEY_FILE: z.string().optional(),
    SAML_SP_CERT_FILE: z.string().optional(),
    SAML_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    DEMO_DATA: bool.optional(),
    ORGANIZATION_NAME: z.string().min(1).default("Regione Demo"),
    ORGANIZATION_URL: z.url().default("https://www.regione.example.it"),
    CONTACT_EMAIL: z.email().default("servizi.informativi@regione.example.it"),
    ORGANIZATION_IPA_CODE: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_]{1,16}$/, "il codice IPA dell'ente: fino a 16 lettere, cifre o trattini bassi (es. r_lazio)")
      .optional(),
    SMTP_URL: z.url({ message: "deve essere un URL smtp://utente:password@host:porta" }).optional(),
    MAIL_FROM: z.email().default("noreply@regione.example.it"),
    TRUST_PROXY: z.string().optional(),
    INTRANET_CIDRS: z
      .string()
      .refine((v) => v.split(",").every((c) => parseCidr(c.trim()) !== null), "elenco di reti CIDR separate da virgole, es. 10.0.0.0/8,192.168.1.0/24")
      .optional(),
    INTRANET_HOST: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, "un nome host, es. pratiche.intranet.regione.it").optional(),
    RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    RATE_LIMIT_HELPDESK_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(5),
    RATE_LIMIT_HELPDESK_PER_HOUR: z.coerce.number().int().min(1).default(100),
    CLICK_DAY_SENDS_PER_PERSON_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    CLICK_DAY_SENDS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    CLICK_DAY_COMPLETION_MAX_WAIT_S: z.coerce.number().int().min(0).max(600).default(120),
    /** Applicants without SPID or CIE: e-mail, password and TOTP (ADR 0067). Off unless set. */
    LOCAL_ACCOUNTS: bool.optional(),
    SFTP_PORT: z.coerce.number().int().min(0).max(65535).default(2222),
    SFTP_HOST: z.string().min(1).default("0.0.0.0"),
    SFTP_HOST_KEY_FILE: z.string().optional(),
    SFTP_MAX_SESSIONS_PER_ACCOUNT: z.coerce.number().int().min(1).max(100).default(4),
    SFTP_MAX_SESSIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1000).default(8),
    SFTP_IDLE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
    ACCESS_TERM_MONTHS: z.coerce.number().int("un numero intero di mesi").min(1, "almeno 1 mese").max(60, "al massimo 60 mesi").default(12),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    const refuse = (key: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [key], message });
    if (env.SAML_IDP === "builtin")
      refuse("SAML_IDP", "in produzione l'identity provider di test non è ammesso: impostare SAML_IDP=external");
    if (env.DEMO_DATA === true) refuse("DEMO_DATA", "in produzione i dati dimostrativi non sono ammessi");
    if (env.SESSION_SECRET === DEFAULT_SESSION_SECRET)
      refuse("SESSION_SECRET", "in produzione serve un segreto di sessione proprio");
    if (!env.SAML_SP_KEY_FILE) refuse("SAML_SP_KEY_FILE", "obbligatorio in produzione");
    if (!env.SAML_SP_CERT_FILE) refuse("SAML_SP_CERT_FILE", "obbligatorio in produzione");
    if (!env.BASE_URL) refuse("BASE_URL", "obbligatorio in produzione");
  })
  .superRefine((env, ctx) => {
    if (env.SAML_IDP !== "external") return;
    const hasMetadata = env.SAML_IDP_METADATA_FILE || env.SAML_IDP_METADATA_URL;
    const hasExplicit = env.SAML_IDP_ENTITY_ID && env.SAML_IDP_SSO_URL && env.SAML_IDP_CERT_FILE;
    if (!hasMetadata && !hasExplicit)
      ctx.addIssue({
        code: "custom",
        path: ["SAML_IDP_METADATA_FILE"],
        message:
          "con SAML_IDP=external indicare SAML_IDP_METADATA_FILE o SAML_IDP_METADATA_URL, oppure SAML_IDP_ENTITY_ID, SAML_IDP_SSO_URL e SAML_IDP_CERT_FILE",
      });
  });

export type Config = ReturnType<typeof parseConfig>;

export class ConfigError extends Error {}

/** Parses the environment; the error names every wrong variable so start-up can stop with it. */
export function parseConfig(env: Record<string, string | undefined> = process.env) {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(ambiente)"}: ${i.message}`);
    throw new ConfigError(`Configurazione non valida:\n${lines.join("\n")}`);
  }
  const e = result.data;
  const production = e.NODE_ENV === "production";
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    production,
    databaseUrl: e.DATABASE_URL,
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL,
    port: e.PORT,
    /** Web server processes sharing the port (node:cluster): one per core in production (docs/decisions/0057). */
    webProcesses: e.WEB_PROCESSES ?? (production ? os.availableParallelism() : 1),
    workerNice: e.WORKER_NICE,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    dataDir,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    sessionSecret: e.SESSION_SECRET,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    demoData: e.DEMO_DATA ?? !production,
    saml: {
      idp: e.SAML_IDP,
      idpMetadataFile: e.SAML_IDP_METADATA_FILE,
      idpMetadataUrl: e.SAML_IDP_METADATA_URL,
      idpEntityId: e.SAML_IDP_ENTITY_ID,
      idpSsoUrl: e.SAML_IDP_SSO_URL,
      idpCertFile: e.SAML_IDP_CERT_FILE,
      spKeyFile: e.SAML_SP_KEY_FILE,
      spCertFile: e.SAML_SP_CERT_FILE,
      clockSkewMs: e.SAML_CLOCK_SKEW_SECONDS * 1000,
    },
    organization: { name: e.ORGANIZATION_NAME, url: e.ORGANIZATION_URL, contactEmail: e.CONTACT_EMAIL, ipaCode: e.ORGANIZATION_IPA_CODE },
    // No SMTP server: messages stay in the outbox, readable on the "Posta inviata" page.
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    /** How long an access granted by an enablement request lasts, and how far a renewal extends it. */
    accessTermMonths: e.ACCESS_TERM_MONTHS,
    /** Express `trust proxy`: which hops may report the client's address (X-Forwarded-For). */
    trustProxy: e.TRUST_PROXY,
    /** Officials' and administrators' access point (docs/decisions/0044); both unset: no restriction. */
    intranet: {
      cidrs: (e.INTRANET_CIDRS ?? "").split(",").map((c) => c.trim()).filter(Boolean),
      host: e.INTRANET_HOST?.toLowerCase(),
    },
    localAccounts: e.LOCAL_ACCOUNTS ?? false,
    rateLimits: { authPerMinute: e.RATE_LIMIT_AUTH_PER_MINUTE, apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE },
    /** Anonymous posts of the public help-desk form, per address and in all (docs/decisions/0100). */
    helpdeskRateLimits: { perAddressPerHour: e.RATE_LIMIT_HELPDESK_PER_ADDRESS_PER_HOUR, perHour: e.RATE_LIMIT_HELPDESK_PER_HOUR },
    clickDayLimits: { perPersonPerMinute: e.CLICK_DAY_SENDS_PER_PERSON_PER_MINUTE, perAddressPerMinute: e.CLICK_DAY_SENDS_PER_ADDRESS_PER_MINUTE },
    /** At a click day's peak its sends' completion waits (ADR 64), at most this long after the oldest acknowledgement. */
    clickDayCompletionMaxWaitS: e.CLICK_DAY_COMPLETION_MAX_WAIT_S,
    /** The SFTP channel (issue 18, docs/decisions/0075); port 0 turns it off. */
    sftp: {
      port: e.SFTP_PORT,
      host: e.SFTP_HOST,
      hostKeyFile: e.SFTP_HOST_KEY_FILE ? path.resolve(e.SFTP_HOST_KEY_FILE) : path.join(dataDir, "sftp", "host_ed25519_key"),
      hostKeyGenerated: !e.SFTP_HOST_KEY_FILE,
      maxSessionsPerAccount: e.SFTP_MAX_SESSIONS_PER_ACCOUNT,
      maxSessionsPerAddress: e.SFTP_MAX_SESSIONS_PER_ADDRESS,
      idleMs: e.SFTP_IDLE_SECONDS * 1000,
    },
  };
}

let cached: Config | undefined;
export function getConfig(): Config {
  cached ??= parseConfig();
  return cached;
}
