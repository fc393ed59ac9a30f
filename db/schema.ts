import { sql } from "drizzle-orm";
import { customType, type AnyPgColumn } from "drizzle-orm/pg-core";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

export const ROLES = [
  "gestore_operatore",
  "gestore_referente",
  "funzionario",
  "dirigente",
  "amministratore",
  // Aggregate figures only (e.g. a ministry): no practice, no personal data (docs/decisions/0021).
  "osservatore",
  "richiedente",
  // Scoped to a territory (a Region, a social district ATS, a municipality): issue 19, ADR 81.
  "referente_regionale",
  "amministratore_ats",
  "operatore_territoriale",
  // Help desk (issue 17): scoped to an org unit, whose queues it works (docs/decisions/0070).
  "operatore_helpdesk",
] as const;
export type Role = (typeof ROLES)[number];

export const roleEnum = pgEnum("role", ROLES);
export const accessStatusEnum = pgEnum("access_status", ["active", "revoked", "expired"]);

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const orgUnits = pgTable("org_units", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: varchar("code", { length: 32 }).notNull().unique(),
  name: text("name").notNull(),
  parentId: uuid("parent_id"),
  active: boolean("active").notNull().default(true),
  /** Most people with an active access in the org unit at once (enablement requests count too). */
  userQuota: integer("user_quota").notNull().default(8),
  /** The dirigente who heads the unit (a person with a dirigente access), if recorded. */
  headUserId: uuid("head_user_id").references((): AnyPgColumn => users.id),
  description: text("description").notNull().default(""),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
});

export const gestori = pgTable("gestori", {
  id: uuid("id").primaryKey().defaultRandom(),
  fiscalCode: varchar("fiscal_code", { length: 11 }).notNull().unique(),
  name: text("name").notNull(),
  email: text("email"),
  pec: text("pec"),
  active: boolean("active").notNull().default(true),
  operatorQuota: integer("operator_quota").notNull().default(8),
  /** Contact people and numbers of the gestore, free text shown to officials. */
  contacts: text("contacts").notNull().default(""),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
});

export const OBLIGATION_CADENCES = ["monthly", "every_n_days"] as const;
export const obligationCadenceEnum = pgEnum("obligation_cadence", OBLIGATION_CADENCES);

export const measures = pgTable("measures", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: varchar("code", { length: 50 }).notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  isOpen: boolean("is_open").notNull().default(true),
  opensOn: date("opens_on"),
  closesOn: date("closes_on"),
  /** The org unit whose officials answer for the measure (escalations); null: every official. */
  orgUnitId: uuid("org_unit_id").references(() => orgUnits.id),
  // The upload obligation of the accredited gestori (docs/decisions/0015); no cadence, no obligation.
  obligationCadence: obligationCadenceEnum("obligation_cadence"),
  /** monthly: day of the following month the file is due; every_n_days: the N. */
  obligationDay: integer("obligation_day"),
  obligationStartsOn: date("obligation_starts_on"),
  obligationEndsOn: date("obligation_ends_on"),
  /** Days between reminders to a late gestore, and reminders before officials are told. */
  reminderEveryDays: integer("reminder_every_days").notNull().default(7),
  escalateAfterReminders: integer("escalate_after_reminders").notNull().default(3),
  /** Longest stay of a practice in IN_ISTRUTTORIA and in SOSPESA, in days; null: no limit. */
  maxDaysIstruttoria: integer("max_days_istruttoria"),
  maxDaysSospesa: integer("max_days_sospesa"),
  /** The catalogue procedure this measure is the upload side of (docs/decisions/0018). */
  procedureId: uuid("procedure_id")
    .unique()
    .references((): AnyPgColumn => procedures.id, { onDelete: "set null" }),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
}, (t) => [
  check(
    "measures_obligation_complete",
    sql`${t.obligationCadence} is null or (${t.obligationDay} is not null and ${t.obligationStartsOn} is not null)`,
  ),
  check(
    "measures_obligation_day_range",
    sql`${t.obligationDay} is null or (${t.obligationCadence} = 'monthly' and ${t.obligationDay} between 1 and 31) or (${t.obligationCadence} = 'every_n_days' and ${t.obligationDay} between 1 and 366)`,
  ),
  check("measures_reminder_positive", sql`${t.reminderEveryDays} >= 1 and ${t.escalateAfterReminders} >= 1`),
]);

export const measureGestori = pgTable(
  "measure_gestori",
  {
    measureId: uuid("measure_id")
      .notNull()
      .references(() => measures.id, { onDelete: "cascade" }),
    gestoreId: uuid("gestore_id")
      .notNull()
      .references(() => gestori.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.measureId, t.gestoreId] }), index("measure_gestori_gestore_idx").on(t.gestoreId)],
);

/** ISTAT municipalities, loaded from the official list shipped by an npm package. */
export const comuni = pgTable(
  "comuni",
  {
    code: varchar("code", { length: 6 }).primaryKey(),
    name: text("name").notNull(),
    provinceCode: varchar("province_code", { length: 3 }).notNull(),
    provinceName: text("province_name").notNull(),
    provinceAbbr: varchar("province_abbr", { length: 2 }).notNull(),
    regionCode: varchar("region_code", { length: 2 }).notNull(),
    regionName: text("region_name").notNull(),
  },
  (t) => [index("comuni_province_idx").on(t.provinceCode), index("comuni_region_idx").on(t.regionCode)],
);

/** Territorial levels an access can be scoped to (issue 19): a Region, an ATS, a municipality. */
export const TERRITORY_LEVELS = ["regione", "ats", "comune"] as const;
export type TerritoryLevel = (typeof TERRITORY_LEVELS)[number];
export const territoryLevelEnum = pgEnum("territory_level", TERRITORY_LEVELS);

/** Social districts (Ambiti Territoriali Sociali); `demo` marks a mapping that is not the official list. */
export const ats = pgTable("ats", {
  code: varchar("code", { length: 20 }).primaryKey(),
  name: text("name").notNull(),
  regionCode: varchar("region_code", { length: 2 }).notNull(),
  demo: boolean("demo").notNull().default(false),
  /** Most territorial users the ATS administrator may have enabled at once, ATS and its municipalities together (ADR 105). */
  userQuota: integer("user_quota").notNull().default(8),
  createdAt: createdAt(),
});

/** Per-Region settings an administrator changes; a Region without a row has the defaults (ADR 105). */
export const regionSettings = pgTable("region_settings", {
  regionCode: varchar("region_code", { length: 2 }).primaryKey(),
  /** Most regional users the regional referente may have enabled at once. */
  userQuota: integer("user_quota").notNull().default(8),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The ATS of each municipality, with history: from `valid_from` until the next row of the municipality. */
export const comuneAts = pgTable(
  "comune_ats",
  {
    comuneCode: varchar("comune_code", { length: 6 })
      .notNull()
      .references(() => comuni.code),
    atsCode: varchar("ats_code", { length: 20 })
      .notNull()
      .references(() => ats.code),
    validFrom: date("valid_from").notNull(),
  },
  (t) => [primaryKey({ columns: [t.comuneCode, t.validFrom] }), index("comune_ats_ats_idx").on(t.atsCode)],
);

/**
 * One secret key per recipient body (e.g. "ats:DEMO-ATS-042") for the pseudonymous practice ids of
 * anonymous downloads: stable for that body, unlinkable across bodies; never shown (ADR 82).
 */
export const pseudonymKeys = pgTable("pseudonym_keys", {
  body: varchar("body", { length: 40 }).primaryKey(),
  key: bytea("key").notNull(),
  createdAt: createdAt(),
});

/**
 * The visibility sheet as configured (issue 19, docs/decisions/0108): one row per actor type and
 * data category. Missing rows read as the defaults of db/visibility.ts; a trigger notifies every
 * process's cache on change.
 */
export const visibilitySheet = pgTable(
  "visibility_sheet",
  {
    actorType: varchar("actor_type", { length: 20 }).notNull(),
    category: varchar("category", { length: 20 }).notNull(),
    level: varchar("level", { length: 20 }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.actorType, t.category] })],
);

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  fiscalCode: varchar("fiscal_code", { length: 16 }).notNull().unique(),
  name: text("name").notNull(),
  surname: text("surname").notNull(),
  email: text("email").notNull(),
  /** Mail with the outcome of each file the person sends (issue 18); opt-out on the profile page. */
  outcomeMail: boolean("outcome_mail").notNull().default(true),
  createdAt: createdAt(),
});

/** An access ("abilitazione"): one role of one person in one scope (a gestore or an org unit). */
export const accesses = pgTable(
  "accesses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    role: roleEnum("role").notNull(),
    gestoreId: uuid("gestore_id").references(() => gestori.id),
    orgUnitId: uuid("org_unit_id").references(() => orgUnits.id),
    /** Territorial roles only: the Region (ISTAT code), ATS or municipality the access is scoped to. */
    territoryLevel: territoryLevelEnum("territory_level"),
    territoryCode: varchar("territory_code", { length: 20 }),
    status: accessStatusEnum("status").notNull().default("active"),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** The access machine's persisted snapshot; null for accesses granted before issue 4 (derived from status). */
    snapshot: jsonb("snapshot"),
    createdAt: createdAt(),
  },
  (t) => [
    index("accesses_user_idx").on(t.userId),
    uniqueIndex("accesses_one_active_per_scope")
      // Territorial and applicant accesses have neither a gestore nor an org unit: their scope is
      // the territory code, or nothing (one active applicant access per person).
      .on(t.userId, t.role, sql`coalesce(${t.gestoreId}::text, ${t.orgUnitId}::text, ${t.territoryCode}, '')`)
      .where(sql`${t.status} = 'active'`),
    check(
      "accesses_scope_matches_role",
      sql`((${t.role} in ('gestore_operatore','gestore_referente') and ${t.gestoreId} is not null and ${t.orgUnitId} is null)
        or (${t.role} in ('funzionario','dirigente') and ${t.orgUnitId} is not null and ${t.gestoreId} is null)
        or (${t.role} in ('amministratore','osservatore') and ${t.gestoreId} is null)
        or (${t.role}::text = 'richiedente' and ${t.gestoreId} is null and ${t.orgUnitId} is null and ${t.territoryLevel} is null)
        or (${t.role}::text = 'referente_regionale' and ${t.territoryLevel} = 'regione')
        or (${t.role}::text = 'amministratore_ats' and ${t.territoryLevel} = 'ats')
        or (${t.role}::text = 'operatore_territoriale' and ${t.territoryLevel} is not null)
        or (${t.role}::text = 'operatore_helpdesk' and ${t.orgUnitId} is not null and ${t.gestoreId} is null and ${t.territoryLevel} is null))
        and ((${t.territoryLevel} is null) = (${t.territoryCode} is null))
        and (${t.territoryLevel} is null or (${t.gestoreId} is null and ${t.orgUnitId} is null))`,
    ),
  ],
);

/** Sessions live in the database so any web instance can serve any request and revocation is immediate. */
export const sessions = pgTable(
  "sessions",
  {
    idHash: varchar("id_hash", { length: 64 }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessId: uuid("access_id").references(() => accesses.id, { onDelete: "cascade" }),
    csrfToken: varchar("csrf_token", { length: 64 }).notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/**
 * AuthnRequest ids we issued (SAML InResponseTo check). A request is answered once: the sign-in
 * claims it atomically, so a replayed or concurrently re-posted response finds it taken.
 */
export const samlRequests = pgTable("saml_requests", {
  id: varchar("id", { length: 128 }).primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
  claimedAt: timestamp("claimed_at", { withTimezone: true }),
});

/**
 * Requests per key (an address, an API token's hash) in one fixed window, shared by every web
 * process through the database (docs/decisions/0042). Old windows are purged by maintenance.
 */
export const rateLimitHits = pgTable(
  "rate_limit_hits",
  {
    key: varchar("key", { length: 200 }).notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    hits: integer("hits").notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/**
 * Anonymous failures (bad tokens, garbage SAML responses) counted per address, action and reason
 * per hour: the first of each hour is audited at once, the total when the hour is closed.
 */
export const failureCounts = pgTable(
  "failure_counts",
  {
    action: varchar("action", { length: 100 }).notNull(),
    reason: varchar("reason", { length: 100 }).notNull(),
    ip: varchar("ip", { length: 64 }).notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.action, t.reason, t.ip, t.windowStart] })],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    gestoreId: uuid("gestore_id")
      .notNull()
      .references(() => gestori.id),
    label: text("label").notNull().default(""),
    tokenHash: varchar("token_hash", { length: 64 }).notNull().unique(),
    tokenPrefix: varchar("token_prefix", { length: 16 }).notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId), index("api_tokens_gestore_idx").on(t.gestoreId)],
);

/**
 * An applicant's own credentials, for those without SPID or CIE (LOCAL_ACCOUNTS=true; ADR 0067).
 * Such a person holds the role `richiedente` and nothing else: a trigger refuses any other access.
 */
export const localAccounts = pgTable(
  "local_accounts",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Lower-case, the sign-in name. */
    email: text("email").notNull().unique(),
    /** `scrypt$N$r$p$salt$hash` (base64url): never reversible. */
    passwordHash: text("password_hash").notNull(),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    totpSecret: text("totp_secret"),
    totpEnrolledAt: timestamp("totp_enrolled_at", { withTimezone: true }),
    /** The last 30-second step a code was accepted for: a code is good once. */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    lockedAt: timestamp("locked_at", { withTimezone: true }),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    createdAt: createdAt(),
  },
);

/** Single-use links sent by mail (e-mail verification): only a hash of the token is kept. */
export const localAccountLinks = pgTable(
  "local_account_links",
  {
    tokenHash: varchar("token_hash", { length: 64 }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => localAccounts.userId, { onDelete: "cascade" }),
    purpose: varchar("purpose", { length: 20, enum: ["verify_email"] }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("local_account_links_user_idx").on(t.userId)],
);

/** Recovery codes for a lost authenticator: hashed, each good once. */
export const localRecoveryCodes = pgTable(
  "local_recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => localAccounts.userId, { onDelete: "cascade" }),
    codeHash: varchar("code_hash", { length: 64 }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("local_recovery_codes_user_idx").on(t.userId)],
);

/** An SFTP public key of an account: OpenSSH line, type and SHA256 fingerprint (issue 18). */
export type SftpPublicKey = { type: string; bits: number; fingerprint: string; line: string };

/**
 * An SFTP account (issue 18): one person of one gestore, with a coded user name, public keys,
 * an optional password (scrypt) and the addresses it may connect from.
 */
export const sftpAccounts = pgTable(
  "sftp_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: varchar("username", { length: 32 }).notNull().unique(),
    /** A gestore's account; null for a territorial body's (ADR 109), which names its territory instead. */
    gestoreId: uuid("gestore_id").references(() => gestori.id),
    territoryLevel: territoryLevelEnum("territory_level"),
    territoryCode: varchar("territory_code", { length: 20 }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    publicKeys: jsonb("public_keys").$type<SftpPublicKey[]>().notNull().default([]),
    passwordHash: text("password_hash"),
    allowedCidrs: text("allowed_cidrs").array().notNull(),
    receiptMail: boolean("receipt_mail").notNull().default(false),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    index("sftp_accounts_gestore_idx").on(t.gestoreId),
    check(
      "sftp_accounts_owner",
      sql`(${t.gestoreId} is not null and ${t.territoryLevel} is null and ${t.territoryCode} is null) or (${t.gestoreId} is null and ${t.territoryLevel} is not null and ${t.territoryCode} is not null)`,
    ),
  ],
);

/** An upload received through an SFTP account, and when its outcome files were read in full. */
export const sftpUploads = pgTable("sftp_uploads", {
  uploadId: uuid("upload_id")
    .primaryKey()
    .references(() => uploads.id),
  accountId: uuid("account_id")
    .notNull()
    .references(() => sftpAccounts.id),
  outcomeReadAt: timestamp("outcome_read_at", { withTimezone: true }),
  errorsReadAt: timestamp("errors_read_at", { withTimezone: true }),
}, (t) => [index("sftp_uploads_account_idx").on(t.accountId)]);

/**
 * A file prepared for an SFTP account's /out/export (docs/decisions/0104): gone from /out once read
 * in full (`read_at`), kept here for the web.
 */
export const sftpExports = pgTable("sftp_exports", {
  id: uuid("id").primaryKey().defaultRandom(),
  accountId: uuid("account_id")
    .notNull()
    .references(() => sftpAccounts.id),
  kind: text("kind", { enum: ["pratiche"] }).notNull(),
  fileName: text("file_name").notNull(),
  content: bytea("content").notNull(),
  rows: integer("rows").notNull(),
  requestedBy: uuid("requested_by").references(() => users.id),
  createdAt: createdAt(),
  readAt: timestamp("read_at", { withTimezone: true }),
}, (t) => [index("sftp_exports_account_idx").on(t.accountId)]);

export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;

/**
 * Append-only: a trigger in the migrations refuses UPDATE, DELETE and TRUNCATE. Another trigger
 * links each row into one of AUDIT_CHAINS hash chains (chain, seq, prev_hash, hash; ADR 0039).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    actorFiscalCode: varchar("actor_fiscal_code", { length: 16 }),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    objectType: text("object_type"),
    objectId: text("object_id"),
    gestoreId: uuid("gestore_id"),
    outcome: text("outcome", { enum: AUDIT_OUTCOMES }).notNull(),
    ip: text("ip"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    // Set by the database (trigger audit_log_chain), never by the application.
    chain: smallint("chain"),
    seq: bigint("seq", { mode: "number" }),
    prevHash: text("prev_hash"),
    hash: text("hash"),
  },
  (t) => [
    uniqueIndex("audit_log_chain_seq_idx").on(t.chain, t.seq),
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorFiscalCode, t.at),
    index("audit_log_action_idx").on(t.action, t.at),
    index("audit_log_object_idx").on(t.objectType, t.objectId),
  ],
);

/** The last link of each audit hash chain; written only by the trigger, as the owner role. */
export const auditChainHeads = pgTable("audit_chain_heads", {
  chain: smallint("chain").primaryKey(),
  seq: bigint("seq", { mode: "number" }).notNull(),
  hash: text("hash").notNull(),
});

/** Small key/value facts about the installation (e.g. demo data loaded, reference data version). */
export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const PRACTICE_STATE_VALUES = [
  "PRESENTATA",
  "IN_ISTRUTTORIA",
  "SOSPESA",
  "DELIBERATA",
  "EROGATA",
  "NON_AMMESSA",
  "RINUNCIATA",
  "REVOCATA",
] as const;
export const practiceStateEnum = pgEnum("practice_state", PRACTICE_STATE_VALUES);
// "failed": the ingestion itself broke (our fault, not the file's): nothing applied (docs/decisions/0046).
export const uploadStatusEnum = pgEnum("upload_status", ["processing", "accepted", "rejected", "failed"]);
// "created" is only found in rows written before migration 0005, which moved the first report
// onto the practice row (first_state, first_state_date, first_upload_id).
export const historyKindEnum = pgEnum("practice_history_kind", ["created", "transition", "update"]);

const money = (name: string) => numeric(name, { precision: 15, scale: 2 });

/** A file sent by a gestore; its bytes are kept in `upload_chunks`, its outcome here. */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    gestoreId: uuid("gestore_id")
      .notNull()
      .references(() => gestori.id),
    uploadedBy: uuid("uploaded_by").references(() => users.id),
    channel: text("channel", { enum: ["web", "api", "sftp"] }).notNull(),
    fileName: text("file_name").notNull().default(""),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: varchar("sha256", { length: 64 }).notNull(),
    status: uploadStatusEnum("status").notNull().default("processing"),
    submissionId: varchar("submission_id", { length: 50 }),
    referenceDate: date("reference_date"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    records: integer("records").notNull().default(0),
    linesRead: integer("lines_read").notNull().default(0),
    created: integer("created").notNull().default(0),
    transitioned: integer("transitioned").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    errors: jsonb("errors").$type<{ line: number; field: string | null; code: string; message: string }[]>().notNull().default([]),
    // What the worker reached (docs/decisions/0046): attempts started, phase, the backend holding
    // the gestore's lock, and for a failed upload the support reference and the cause (admins only).
    attempts: integer("attempts").notNull().default(0),
    phase: text("phase", { enum: ["waiting", "index", "reading", "applying"] }).notNull().default("waiting"),
    workerPid: integer("worker_pid"),
    workerBackendStart: timestamp("worker_backend_start", { withTimezone: true }),
    failureRef: varchar("failure_ref", { length: 20 }),
    failureCause: text("failure_cause"),
  },
  (t) => [
    index("uploads_gestore_received_idx").on(t.gestoreId, t.receivedAt),
    index("uploads_gestore_sha_idx").on(t.gestoreId, t.sha256),
    uniqueIndex("uploads_accepted_submission_uq")
      .on(t.gestoreId, t.submissionId)
      .where(sql`${t.status} = 'accepted'`),
  ],
);

export const uploadChunks = pgTable(
  "upload_chunks",
  {
    uploadId: uuid("upload_id")
      .notNull()
      .references(() => uploads.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.seq] })],
);

/** A practice ("pratica") of a gestore, identified by (gestore, code). */
export const practices = pgTable(
  "practices",
  {
    // Sequential ids keep the primary-key and history indexes append-only under bulk inserts.
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // No foreign keys on the two bulk-written tables: a per-row check would dominate the cost
    // of a million-record file, and the only writer (the ingestion) takes both ids from rows it
    // has just read (docs/decisions/0010).
    gestoreId: uuid("gestore_id").notNull(),
    code: varchar("code", { length: 50 }).notNull(),
    measureId: uuid("measure_id").notNull(),
    beneficiaryFiscalCode: varchar("beneficiary_fiscal_code", { length: 16 }).notNull(),
    beneficiaryName: varchar("beneficiary_name", { length: 200 }).notNull(),
    comuneCode: varchar("comune_code", { length: 6 }).notNull(),
    submittedOn: date("submitted_on").notNull(),
    state: practiceStateEnum("state").notNull(),
    stateDate: date("state_date").notNull(),
    amountRequested: money("amount_requested").notNull(),
    amountApproved: money("amount_approved"),
    amountDisbursed: money("amount_disbursed"),
    notes: varchar("notes", { length: 500 }).notNull().default(""),
    snapshot: jsonb("snapshot").notNull(),
    machineVersion: integer("machine_version").notNull(),
    lastUploadId: uuid("last_upload_id"),
    // How the practice was first reported. Kept on the row rather than as a history row: it is
    // written once, and a first file of a million practices then writes one row per practice.
    firstState: practiceStateEnum("first_state").notNull(),
    firstStateDate: date("first_state_date").notNull(),
    firstUploadId: uuid("first_upload_id"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // By municipality: the monitoring's municipality filter reads the raw tables (docs/decisions/0027).
  // A gestore's practices newest first: the list's keyset pages (the primary key serves everyone's);
  // on columns no file changes, so moving a practice stays a HOT update (docs/decisions/0036).
  (t) => [
    uniqueIndex("practices_gestore_code_uq").on(t.gestoreId, t.code),
    index("practices_comune_idx").on(t.comuneCode),
    index("practices_gestore_id_idx").on(t.gestoreId, t.id),
  ],
);

/** Append-only story of each practice after its first report: transitions and field changes. */
export const practiceHistory = pgTable(
  "practice_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    practiceId: bigint("practice_id", { mode: "number" }).notNull(),
    kind: historyKindEnum("kind").notNull(),
    fromState: practiceStateEnum("from_state"),
    toState: practiceStateEnum("to_state").notNull(),
    stateDate: date("state_date").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    uploadId: uuid("upload_id"),
    userId: uuid("user_id"),
    changes: jsonb("changes").$type<Record<string, [unknown, unknown]>>(),
  },
  (t) => [index("practice_history_practice_idx").on(t.practiceId, t.id)],
);

/** "All" in a key column of `monitoring_rollup` (its key has no nulls). */
export const ROLLUP_ALL_ID = "00000000-0000-0000-0000-000000000000";

/**
 * The monitoring dashboard's summary (docs/decisions/0027): the contributions of every practice,
 * summed per level (0 all, 1 measure, 2 region, 3 province, 4 gestore × measure, 5 waiting
 * practices per gestore × measure), per bucket (a month; for the weekly flow the part of an ISO
 * week inside a month) and per fact (stock by state with amounts, new practices, arrivals, moves
 * from × to, histograms of days of stays and of times to decision and to disbursement).
 * Kept exact by `monitoring_apply` / `monitoring_apply_moves` in the transaction of every write to
 * the practices.
 */
export const monitoringRollup = pgTable(
  "monitoring_rollup",
  {
    lvl: smallint("lvl").notNull(),
    gestoreId: uuid("gestore_id").notNull(),
    measureId: uuid("measure_id").notNull(),
    regionCode: varchar("region_code", { length: 2 }).notNull(),
    provinceCode: varchar("province_code", { length: 3 }).notNull(),
    bucket: date("bucket").notNull(),
    fact: varchar("fact", { length: 12 }).notNull(),
    a: varchar("a", { length: 20 }).notNull(),
    b: varchar("b", { length: 20 }).notNull(),
    days: integer("days").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
    requested: numeric("requested", { precision: 18, scale: 2 }),
    approved: numeric("approved", { precision: 18, scale: 2 }),
    approvedN: bigint("approved_n", { mode: "number" }).notNull().default(0),
    disbursed: numeric("disbursed", { precision: 18, scale: 2 }),
    disbursedN: bigint("disbursed_n", { mode: "number" }).notNull().default(0),
    /**
     * The writer's slot (docs/decisions/0034): a transaction writes only rows of a slot it alone
     * holds, so files of different gestori add to the same figures at the same time. Readers sum
     * over slots.
     */
    slot: smallint("slot").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.lvl, t.gestoreId, t.measureId, t.regionCode, t.provinceCode, t.fact, t.bucket, t.a, t.b, t.days, t.slot] })],
);

export const MAIL_STATES = ["queued", "sent", "stored", "failed"] as const;
export const mailStateEnum = pgEnum("mail_state", MAIL_STATES);

/**
 * The mail outbox: every message the platform sends, written in the transaction of the event
 * that causes it and delivered afterwards by a job. `stored` means no SMTP server is configured
 * and the message stays readable here only. `dedupe_key`, when given, makes a message unique.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    template: varchar("template", { length: 100 }).notNull(),
    data: jsonb("data").notNull().$type<Record<string, unknown>>(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    state: mailStateEnum("state").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    messageId: text("message_id"),
    dedupeKey: text("dedupe_key").unique(),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("mail_outbox_created_idx").on(t.createdAt), index("mail_outbox_state_idx").on(t.state)],
);

/** The installation's own holidays (e.g. the patron saint's day): every year when `year` is null. */
export const extraHolidays = pgTable(
  "extra_holidays",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    month: integer("month").notNull(),
    day: integer("day").notNull(),
    year: integer("year"),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("extra_holidays_day_uq").on(t.month, t.day, sql`coalesce(${t.year}, 0)`),
    check("extra_holidays_valid", sql`${t.month} between 1 and 12 and ${t.day} between 1 and 31`),
  ],
);

export const ENABLEMENT_REQUEST_STATES = ["submitted", "approved", "rejected", "withdrawn"] as const;
export const enablementRequestStateEnum = pgEnum("enablement_request_state", ENABLEMENT_REQUEST_STATES);

/**
 * A request ("richiesta di abilitazione") to give one person one role in one scope, persisted as
 * the enablement-request machine (workflows/enablement-request.machine.ts). The person is named
 * by codice fiscale: they may not be a user yet; approval creates the user and the access.
 */
export const enablementRequests = pgTable(
  "enablement_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    state: enablementRequestStateEnum("state").notNull().default("submitted"),
    role: roleEnum("role").notNull(),
    gestoreId: uuid("gestore_id").references(() => gestori.id),
    orgUnitId: uuid("org_unit_id").references(() => orgUnits.id),
    /** Territorial users (ADR 105): the Region, ATS or municipality the requested access is scoped to. */
    territoryLevel: territoryLevelEnum("territory_level"),
    territoryCode: varchar("territory_code", { length: 20 }),
    fiscalCode: varchar("fiscal_code", { length: 16 }).notNull(),
    name: text("name").notNull(),
    surname: text("surname").notNull(),
    email: text("email").notNull(),
    /** The requester confirmed a codice fiscale whose letters do not match the names. */
    nameMismatchConfirmed: boolean("name_mismatch_confirmed").notNull().default(false),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => users.id),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    reason: text("reason"),
    userId: uuid("user_id").references(() => users.id),
    accessId: uuid("access_id").references(() => accesses.id),
    snapshot: jsonb("snapshot").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("enablement_requests_state_idx").on(t.state, t.createdAt),
    index("enablement_requests_fiscal_code_idx").on(t.fiscalCode),
    index("enablement_requests_access_idx").on(t.accessId),
    // One pending request per person, role and scope, even under concurrent submissions.
    uniqueIndex("enablement_requests_one_pending")
      .on(t.fiscalCode, t.role, sql`coalesce(${t.gestoreId}::text, ${t.orgUnitId}::text, ${t.territoryCode}, '')`)
      .where(sql`${t.state} = 'submitted'`),
    check(
      "enablement_requests_scope_matches_role",
      sql`((${t.role} in ('gestore_operatore','gestore_referente') and ${t.gestoreId} is not null and ${t.orgUnitId} is null)
        or (${t.role} in ('funzionario','dirigente','operatore_helpdesk') and ${t.orgUnitId} is not null and ${t.gestoreId} is null)
        or (${t.role}::text = 'operatore_territoriale' and ${t.territoryLevel} is not null and ${t.gestoreId} is null and ${t.orgUnitId} is null))
        and ((${t.territoryLevel} is null) = (${t.territoryCode} is null))`,
    ),
  ],
);

/**
 * A reminder sent to a late gestore: one per gestore, measure, period and step. The unique key
 * is written in the same transaction as the messages in the outbox, so a reminder is never sent
 * twice (docs/decisions/0016).
 */
export const reminders = pgTable(
  "reminders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    gestoreId: uuid("gestore_id")
      .notNull()
      .references(() => gestori.id),
    measureId: uuid("measure_id")
      .notNull()
      .references(() => measures.id),
    periodStart: date("period_start").notNull(),
    periodEnd: date("period_end").notNull(),
    dueOn: date("due_on").notNull(),
    step: integer("step").notNull(),
    daysLate: integer("days_late").notNull(),
    sentOn: date("sent_on").notNull(),
    recipients: text("recipients").array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("reminders_once_uq").on(t.gestoreId, t.measureId, t.periodEnd, t.step),
    index("reminders_gestore_idx").on(t.gestoreId, t.sentOn),
  ],
);

/** Officials told that a gestore is still late after the measure's reminders: once per period. */
export const escalations = pgTable(
  "escalations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    gestoreId: uuid("gestore_id")
      .notNull()
      .references(() => gestori.id),
    measureId: uuid("measure_id")
      .notNull()
      .references(() => measures.id),
    periodStart: date("period_start").notNull(),
    periodEnd: date("period_end").notNull(),
    dueOn: date("due_on").notNull(),
    daysLate: integer("days_late").notNull(),
    remindersSent: integer("reminders_sent").notNull(),
    escalatedOn: date("escalated_on").notNull(),
    recipients: text("recipients").array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("escalations_once_uq").on(t.gestoreId, t.measureId, t.periodEnd),
    index("escalations_gestore_idx").on(t.gestoreId, t.escalatedOn),
  ],
);

/**
 * Append-only story of the persisted machines other than practices (enablement requests and
 * accesses): one row per transition, written by the runner with the snapshot it saves.
 */
export const machineHistory = pgTable(
  "machine_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    machine: varchar("machine", { length: 40 }).notNull(),
    objectId: uuid("object_id").notNull(),
    event: varchar("event", { length: 40 }).notNull(),
    fromState: varchar("from_state", { length: 40 }),
    toState: varchar("to_state", { length: 40 }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    actorUserId: uuid("actor_user_id"),
    actorRole: text("actor_role"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("machine_history_object_idx").on(t.machine, t.objectId, t.id)],
);

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** Professional figures (e.g. "Responsabile del procedimento") of an org unit, with who holds them. */
export const positions = pgTable(
  "positions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgUnitId: uuid("org_unit_id")
      .notNull()
      .references(() => orgUnits.id),
    title: text("title").notNull(),
    holder: text("holder").notNull().default(""),
    email: text("email"),
    active: boolean("active").notNull().default(true),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("positions_org_unit_idx").on(t.orgUnitId)],
);

/** Categories of the public catalogue of procedures: a tree, ordered by position among siblings. */
export const catalogueCategories = pgTable(
  "catalogue_categories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    parentId: uuid("parent_id"),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("catalogue_categories_parent_idx").on(t.parentId, t.position)],
);

export const PROCEDURE_STATUSES = ["draft", "published"] as const;
export const procedureStatusEnum = pgEnum("procedure_status", PROCEDURE_STATUSES);

export type ProcedureLink = { label: string; url: string };
/** Stored shape of a routing rule; db/ stays free of app/, the zod schema lives in app/applications/routing.ts. */
export type ProcedureRoutingRule = { name: string; field: string; match: "equals" | "startsWith"; cases: { value: string; office: string }[]; fallback: string | null };

/** A procedure of the public catalogue ("procedimento"); a measure may be its upload side. */
export const procedures = pgTable(
  "procedures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    categoryId: uuid("category_id")
      .notNull()
      .references(() => catalogueCategories.id),
    position: integer("position").notNull().default(0),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    orgUnitId: uuid("org_unit_id").references(() => orgUnits.id),
    responsiblePositionId: uuid("responsible_position_id").references(() => positions.id),
    costs: text("costs").notNull().default(""),
    howToApply: text("how_to_apply").notNull().default(""),
    maxDurationDays: integer("max_duration_days"),
    requiredDocuments: text("required_documents").notNull().default(""),
    links: jsonb("links").$type<ProcedureLink[]>().notNull().default([]),
    status: procedureStatusEnum("status").notNull().default("draft"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** Online applications (issue 15): the number's prefix (DOM-2026-000123) and the last day to send. */
    applicationPrefix: varchar("application_prefix", { length: 8 }),
    applicationsCloseOn: date("applications_close_on"),
    /** Org unit codes that give an opinion on every application, side by side (docs/decisions/0062). */
    applicationOffices: jsonb("application_offices").$type<string[]>().notNull().default([]),
    /** Rules choosing more offices from the answers (docs/decisions/0095), validated by app/applications/routing.ts. */
    applicationRoutingRules: jsonb("application_routing_rules").$type<ProcedureRoutingRule[]>().notNull().default([]),
    // Italian full-text search over what a citizen reads; kept by PostgreSQL itself.
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('italian', coalesce(title, '')), 'A') || setweight(to_tsvector('italian', coalesce(description, '')), 'B') || setweight(to_tsvector('italian', coalesce(how_to_apply, '') || ' ' || coalesce(required_documents, '') || ' ' || coalesce(costs, '')), 'C')`,
      ),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("procedures_category_idx").on(t.categoryId, t.position),
    index("procedures_search_idx").using("gin", t.search),
    check("procedures_max_duration_positive", sql`${t.maxDurationDays} is null or ${t.maxDurationDays} > 0`),
  ],
);

/** Administrators' versions of mail templates, consulted before the files in templates/mail. */
export const mailTemplateOverrides = pgTable("mail_template_overrides", {
  name: varchar("name", { length: 100 }).primaryKey(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text").notNull(),
  version: integer("version").notNull().default(1),
  updatedBy: uuid("updated_by"),
  updatedAt: updatedAt(),
});

/** Every save and reset of a mail template, newest last. */
export const mailTemplateHistory = pgTable(
  "mail_template_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: varchar("name", { length: 100 }).notNull(),
    action: text("action", { enum: ["save", "reset"] }).notNull(),
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    changedBy: uuid("changed_by"),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("mail_template_history_name_idx").on(t.name, t.id)],
);

export type QuickLink = { label: string; url: string };

/** The installation's branding: one row (id = 1); absent values fall back to the environment. */
export const branding = pgTable(
  "branding",
  {
    id: integer("id").primaryKey().default(1),
    bodyName: text("body_name").notNull(),
    logoUrl: text("logo_url").notNull().default(""),
    banner: text("banner").notNull().default(""),
    quickLinks: jsonb("quick_links").$type<QuickLink[]>().notNull().default([]),
    contactEmail: text("contact_email").notNull(),
    accessibilityUrl: text("accessibility_url").notNull().default(""),
    // An uploaded logo (docs/decisions/0054), served at /marchio/logo; logoUrl then points there.
    logoBytes: bytea("logo_bytes"),
    logoType: varchar("logo_type", { length: 40 }),
    logoSha256: varchar("logo_sha256", { length: 64 }),
    version: integer("version").notNull().default(1),
    updatedAt: updatedAt(),
  },
  (t) => [check("branding_single_row", sql`${t.id} = 1`)],
);

// ---------------------------------------------------------------------------------------------
// Back office (issue 8): handling of worklist items, threads with gestori, documents of a practice.
// ---------------------------------------------------------------------------------------------

export const WORK_ITEM_STATES = ["open", "in_charge", "done"] as const;
export const WORK_PRIORITIES = ["normale", "alta"] as const;

/**
 * An official's handling of one practice ("presa in carico"), persisted as the work-item machine
 * (workflows/work-item.machine.ts); its story is in machine_history. One row per practice.
 */
export const workItems = pgTable(
  "work_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The handling of a practice, or (applicationId) of an online application (ADR 112). */
    practiceId: bigint("practice_id", { mode: "number" }).unique(),
    gestoreId: uuid("gestore_id"),
    applicationId: uuid("application_id")
      .unique()
      .references((): AnyPgColumn => applications.id),
    state: varchar("state", { length: 20, enum: WORK_ITEM_STATES }).notNull(),
    assigneeUserId: uuid("assignee_user_id").references(() => users.id),
    priority: varchar("priority", { length: 10, enum: WORK_PRIORITIES }).notNull().default("normale"),
    dueOn: date("due_on"),
    snapshot: jsonb("snapshot").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("work_items_assignee_idx").on(t.assigneeUserId, t.state),
    check("work_items_practice_or_application", sql`(${t.practiceId} is null) <> (${t.applicationId} is null) and (${t.practiceId} is null) = (${t.gestoreId} is null)`),
  ],
);

export const THREAD_KINDS = ["messaggio", "chiarimento"] as const;
export const MESSAGE_SIDES = ["ufficio", "gestore"] as const;
/** Who wrote a message: the office, a gestore, or an online application's applicant (ADR 92). */
export const THREAD_MESSAGE_SIDES = [...MESSAGE_SIDES, "richiedente"] as const;

/** A conversation between officials and one gestore, about a practice, an upload or an obligation. */
export const threads = pgTable(
  "threads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** A thread with a gestore, or (applicationId) the one thread of an online application with its applicant. */
    gestoreId: uuid("gestore_id").references(() => gestori.id),
    applicationId: uuid("application_id").references((): AnyPgColumn => applications.id),
    kind: varchar("kind", { length: 20, enum: THREAD_KINDS }).notNull(),
    subject: varchar("subject", { length: 200 }).notNull(),
    practiceId: bigint("practice_id", { mode: "number" }),
    uploadId: uuid("upload_id").references(() => uploads.id),
    measureId: uuid("measure_id").references(() => measures.id),
    /** Clarification requests: the day the answer is due; the first gestore reply answers it. */
    dueOn: date("due_on"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("threads_gestore_idx").on(t.gestoreId, t.lastMessageAt),
    index("threads_practice_idx").on(t.practiceId),
    check("threads_due_only_for_clarifications", sql`(${t.kind} = 'chiarimento') = (${t.dueOn} is not null)`),
    check("threads_gestore_or_application", sql`(${t.gestoreId} is null) <> (${t.applicationId} is null)`),
    uniqueIndex("threads_one_per_application").on(t.applicationId).where(sql`${t.applicationId} is not null`),
  ],
);

export const threadMessages = pgTable(
  "thread_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id),
    authorUserId: uuid("author_user_id")
      .notNull()
      .references(() => users.id),
    side: varchar("side", { length: 12, enum: THREAD_MESSAGE_SIDES }).notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
    /** When someone of the other side first opened the thread after this message. */
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("thread_messages_thread_idx").on(t.threadId, t.createdAt)],
);

/**
 * A document of a practice's dossier or a message's attachment. Versions of one document share
 * `series_id`; a new version is a new row, nothing is overwritten. Bytes in `document_chunks`.
 */
export const documents = pgTable(
  "documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    seriesId: uuid("series_id").notNull(),
    version: integer("version").notNull(),
    gestoreId: uuid("gestore_id")
      .notNull()
      .references(() => gestori.id),
    practiceId: bigint("practice_id", { mode: "number" }),
    threadId: uuid("thread_id").references(() => threads.id),
    messageId: uuid("message_id").references(() => threadMessages.id),
    docType: varchar("doc_type", { length: 40 }).notNull(),
    fileName: varchar("file_name", { length: 200 }).notNull(),
    contentType: varchar("content_type", { length: 100 }).notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: varchar("sha256", { length: 64 }).notNull(),
    side: varchar("side", { length: 10, enum: MESSAGE_SIDES }).notNull(),
    uploadedBy: uuid("uploaded_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("documents_series_version_uq").on(t.seriesId, t.version),
    index("documents_practice_idx").on(t.practiceId),
    index("documents_gestore_idx").on(t.gestoreId),
  ],
);

export const documentChunks = pgTable(
  "document_chunks",
  {
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.seq] })],
);

// ---------------------------------------------------------------------------------------------
// Online applications (issue 15): applicants, form models, applications and their files.
// ---------------------------------------------------------------------------------------------

/** Created at an applicant's first SPID/CIE sign-in from the SAML attributes. */
export const applicantProfiles = pgTable("applicant_profiles", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id),
  contactEmail: text("contact_email"),
  contactEmailVerifiedAt: timestamp("contact_email_verified_at", { withTimezone: true }),
  /** The business the applicant declares to act for as legal representative (ADR 91); null: in their own name. */
  businessName: varchar("business_name", { length: 200 }),
  businessCode: varchar("business_code", { length: 16 }),
  createdAt: createdAt(),
});

/** Single-use links confirming an applicant's contact e-mail (ADR 90): only a hash of the token is kept. */
export const contactEmailLinks = pgTable(
  "contact_email_links",
  {
    tokenHash: varchar("token_hash", { length: 64 }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => applicantProfiles.userId),
    email: text("email").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("contact_email_links_user_idx").on(t.userId)],
);

/** Who an application is made for: the business its applicant represents, fixed at sending (ADR 91). */
export type OnBehalfOf = { name: string; code: string };

export const FORM_MODEL_STATUSES = ["draft", "published", "retired"] as const;

/** One version of a procedure's form (a form.io subset, docs/decisions/0060); published ones never change. */
export const formModels = pgTable(
  "form_models",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    procedureId: uuid("procedure_id")
      .notNull()
      .references(() => procedures.id),
    version: integer("version").notNull(),
    status: varchar("status", { length: 12, enum: FORM_MODEL_STATUSES }).notNull().default("draft"),
    definition: jsonb("definition").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("form_models_version_uq").on(t.procedureId, t.version),
    uniqueIndex("form_models_one_published").on(t.procedureId).where(sql`${t.status} = 'published'`),
  ],
);

export const APPLICATION_STATES = [
  "bozza",
  "inviata",
  "in_istruttoria",
  "integrazione_richiesta",
  "integrata",
  "accolta",
  "respinta",
  "ritirata",
  "archiviata",
] as const;

/** An application ("domanda"), persisted as the application machine (workflows/application.machine.ts). */
export const applications = pgTable(
  "applications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    procedureId: uuid("procedure_id")
      .notNull()
      .references(() => procedures.id),
    formModelId: uuid("form_model_id")
      .notNull()
      .references(() => formModels.id),
    applicantUserId: uuid("applicant_user_id")
      .notNull()
      .references(() => users.id),
    state: varchar("state", { length: 30, enum: APPLICATION_STATES }).notNull(),
    snapshot: jsonb("snapshot").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    /** Gapless per procedure and year (docs/decisions/0061); set when sent. */
    number: varchar("number", { length: 30 }).unique(),
    submittedAt: timestamp("submitted_at", { precision: 3, withTimezone: true }),
    dataSha256: varchar("data_sha256", { length: 64 }),
    receiptFileId: uuid("receipt_file_id"),
    onBehalfOf: jsonb("on_behalf_of").$type<OnBehalfOf>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("applications_applicant_idx").on(t.applicantUserId, t.updatedAt),
    index("applications_procedure_idx").on(t.procedureId, t.state),
    check("applications_sent_complete", sql`(${t.number} is null) = (${t.submittedAt} is null)`),
  ],
);

/** The last number given per procedure and year: its row lock makes numbering gapless. */
export const applicationCounters = pgTable(
  "application_counters",
  {
    procedureId: uuid("procedure_id")
      .notNull()
      .references(() => procedures.id),
    year: integer("year").notNull(),
    last: integer("last").notNull(),
  },
  (t) => [primaryKey({ columns: [t.procedureId, t.year] })],
);

export const APPLICATION_FILE_KINDS = ["allegato", "ricevuta", "messaggio"] as const;

/** An attachment of an application (a `file` field), a document produced for it (the receipt), or a message's attachment (ADR 113). */
export const applicationFiles = pgTable(
  "application_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    kind: varchar("kind", { length: 12, enum: APPLICATION_FILE_KINDS }).notNull(),
    fieldKey: varchar("field_key", { length: 100 }),
    /** Kind `messaggio`: the message of the application's thread it came with. */
    messageId: uuid("message_id").references((): AnyPgColumn => threadMessages.id),
    fileName: varchar("file_name", { length: 200 }).notNull(),
    contentType: varchar("content_type", { length: 100 }).notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: varchar("sha256", { length: 64 }).notNull(),
    content: bytea("content").notNull(),
    uploadedBy: uuid("uploaded_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("application_files_application_idx").on(t.applicationId)],
);

// ---------------------------------------------------------------------------------------------
// Click days (issue 16): applications sent at an announced instant, ranked (docs/decisions/0086).
// ---------------------------------------------------------------------------------------------

export const CLICK_DAY_GROUPINGS = ["none", "category", "province"] as const;

/** A click day of a procedure: opening to the second (Europe/Rome shown), optional closing, quota. */
export const clickDays = pgTable(
  "click_days",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    procedureId: uuid("procedure_id")
      .notNull()
      .references(() => procedures.id),
    label: varchar("label", { length: 200 }).notNull(),
    opensAt: timestamp("opens_at", { precision: 0, withTimezone: true }).notNull(),
    closesAt: timestamp("closes_at", { precision: 0, withTimezone: true }),
    quota: integer("quota").notNull(),
    /** The last rank given: its row lock makes ranks gapless and in receipt order. */
    lastRank: integer("last_rank").notNull().default(0),
    /** Quota split (ADR 120): none, per category (a form field's value) or per province (of a municipality field). */
    groupBy: varchar("group_by", { length: 10, enum: CLICK_DAY_GROUPINGS }).notNull().default("none"),
    groupField: varchar("group_field", { length: 100 }),
    /** Sub-quota per group (category value or province abbreviation); their sum is `quota`. */
    groupQuotas: jsonb("group_quotas").$type<Record<string, number>>().notNull().default({}),
    /** The last rank given in each group, kept under the same row lock as `last_rank`. */
    groupLastRanks: jsonb("group_last_ranks").$type<Record<string, number>>().notNull().default({}),
    /** The form models assigned to this click day (empty: every model of the procedure). */
    formModelIds: jsonb("form_model_ids").$type<string[]>().notNull().default([]),
    /** The categories assigned to this click day: values of `assign_field` (empty: every one). */
    assignField: varchar("assign_field", { length: 100 }),
    assignValues: jsonb("assign_values").$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [
    index("click_days_procedure_idx").on(t.procedureId, t.opensAt),
    check("click_days_quota_positive", sql`${t.quota} > 0`),
    check("click_days_closes_after", sql`${t.closesAt} is null or ${t.closesAt} > ${t.opensAt}`),
    check("click_days_group_by", sql`${t.groupBy} in ('none', 'category', 'province') and (${t.groupBy} = 'none') = (${t.groupField} is null)`),
  ],
);

/** An application marked "pronta per il click day"; rank and receipt set by the send, once. */
export const clickDayEntries = pgTable(
  "click_day_entries",
  {
    applicationId: uuid("application_id")
      .primaryKey()
      .references(() => applications.id),
    clickDayId: uuid("click_day_id")
      .notNull()
      .references(() => clickDays.id),
    applicantUserId: uuid("applicant_user_id")
      .notNull()
      .references(() => users.id),
    /** The idempotency key of this application's send: a repeat returns the stored acknowledgement. */
    sendKey: uuid("send_key").notNull().unique().defaultRandom(),
    readyAt: timestamp("ready_at", { precision: 3, withTimezone: true }).notNull(),
    rank: integer("rank"),
    receivedAt: timestamp("received_at", { precision: 6, withTimezone: true }),
    withinQuota: boolean("within_quota"),
    /** With a quota split (ADR 120): the category or province abbreviation ("" when not given) and the rank in it. */
    groupKey: varchar("group_key", { length: 100 }),
    groupRank: integer("group_rank"),
    /** Deferred sending (ADR 64): the gapless number taken at the acknowledgement, and who sent (actor and address, for the audit). */
    number: varchar("number", { length: 30 }),
    sentBy: jsonb("sent_by").$type<{ actor?: { userId?: string | null; fiscalCode?: string | null; role?: string | null } | null; ip?: string | null }>(),
    /** Set when an answer was changed after the marking and the answers no longer pass (incomplete, no office): the send is refused with it (ADR 64). */
    readyRefusal: varchar("ready_refusal", { length: 500 }),
    /** When the completion job ran issue 15's sending for this entry; ranked and null = acknowledged, still to complete. */
    completedAt: timestamp("completed_at", { precision: 3, withTimezone: true }),
  },
  (t) => [
    uniqueIndex("click_day_entries_rank_uq").on(t.clickDayId, t.rank),
    uniqueIndex("click_day_entries_group_rank_uq").on(t.clickDayId, t.groupKey, t.groupRank),
    index("click_day_entries_applicant_idx").on(t.applicantUserId, t.clickDayId),
    check("click_day_entries_sent_complete", sql`(${t.rank} is null) = (${t.receivedAt} is null) and (${t.rank} is null) = (${t.withinQuota} is null)`),
    check("click_day_entries_completed_sent", sql`${t.completedAt} is null or ${t.rank} is not null`),
    // The completion job's (and its sweep's) work list: acknowledged, not yet completed.
    index("click_day_entries_to_complete_idx").on(t.clickDayId, t.rank).where(sql`${t.rank} is not null and ${t.completedAt} is null`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Help desk (issue 17): tickets, their messages and attachments, queues (docs/decisions/0070).
// ---------------------------------------------------------------------------------------------

export const TICKET_CATEGORIES = ["tecnica", "funzionale", "giuridica"] as const;
export const TICKET_STATES = ["new", "in_charge", "waiting", "answered", "closed"] as const;
export const TICKET_CHANNELS = ["web", "telefono"] as const;
/** What a ticket may be about; `application` waits for issue 15's applications. */
export const TICKET_SUBJECT_KINDS = ["practice", "upload", "application"] as const;

/** One queue per category: the org unit whose help-desk operators work it, and its service levels. */
export const helpdeskQueues = pgTable("helpdesk_queues", {
  category: varchar("category", { length: 20, enum: TICKET_CATEGORIES }).primaryKey(),
  name: text("name").notNull(),
  orgUnitId: uuid("org_unit_id").references(() => orgUnits.id),
  /** Service levels in working hours (09–18 on working days of the deadlines' calendar). */
  firstAnswerHours: integer("first_answer_hours").notNull().default(8),
  resolutionHours: integer("resolution_hours").notNull().default(40),
  version: integer("version").notNull().default(1),
});

/** Numbers without gaps: the year's row is locked by the transaction that takes the next one. */
export const ticketCounters = pgTable("ticket_counters", {
  year: integer("year").primaryKey(),
  last: integer("last").notNull(),
});

/** A help-desk request, persisted as the ticket machine (workflows/ticket.machine.ts). */
export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: varchar("number", { length: 20 }).notNull().unique(),
    category: varchar("category", { length: 20, enum: TICKET_CATEGORIES }).notNull().references(() => helpdeskQueues.category),
    state: varchar("state", { length: 20, enum: TICKET_STATES }).notNull(),
    channel: varchar("channel", { length: 10, enum: TICKET_CHANNELS }).notNull(),
    subject: varchar("subject", { length: 200 }).notNull(),
    senderName: text("sender_name").notNull(),
    senderEmail: text("sender_email").notNull(),
    senderPhone: varchar("sender_phone", { length: 30 }),
    /** The signed-in sender; null for the public area and phone calls. */
    senderUserId: uuid("sender_user_id").references(() => users.id),
    subjectKind: varchar("subject_kind", { length: 20, enum: TICKET_SUBJECT_KINDS }),
    subjectRef: varchar("subject_ref", { length: 64 }),
    assigneeUserId: uuid("assignee_user_id").references(() => users.id),
    /**
     * SHA-256 of the follow link's token; the token itself is only in the acceptance mail. The
     * link works while the ticket is open and for 30 days after `closed_at`.
     */
    followTokenHash: varchar("follow_token_hash", { length: 64 }).unique(),
    firstAnsweredAt: timestamp("first_answered_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    snapshot: jsonb("snapshot").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("tickets_queue_idx").on(t.category, t.state, t.createdAt),
    index("tickets_sender_idx").on(t.senderUserId, t.createdAt),
    check("tickets_subject_pair", sql`(${t.subjectKind} is null) = (${t.subjectRef} is null)`),
  ],
);

export const TICKET_MESSAGE_KINDS = ["richiesta", "messaggio", "richiesta_informazioni", "risposta", "nota"] as const;

export const ticketMessages = pgTable(
  "ticket_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id),
    side: varchar("side", { length: 12, enum: ["richiedente", "operatore"] }).notNull(),
    kind: varchar("kind", { length: 30, enum: TICKET_MESSAGE_KINDS }).notNull(),
    authorUserId: uuid("author_user_id").references(() => users.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("ticket_messages_ticket_idx").on(t.ticketId, t.createdAt)],
);

export const ticketAttachments = pgTable(
  "ticket_attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id),
    messageId: uuid("message_id").references(() => ticketMessages.id),
    fileName: varchar("file_name", { length: 200 }).notNull(),
    contentType: varchar("content_type", { length: 100 }).notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: varchar("sha256", { length: 64 }).notNull(),
    data: bytea("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("ticket_attachments_ticket_idx").on(t.ticketId)],
);

// ---------------------------------------------------------------------------------------------
// Signed documents (issue 17, docs/decisions/0072): the check made on upload, trusted CAs.
// ---------------------------------------------------------------------------------------------

/** What the upload's signature check found: one row per signed document (.p7m or signed PDF). */
export const documentSignatures = pgTable("document_signatures", {
  documentId: uuid("document_id")
    .primaryKey()
    .references(() => documents.id),
  format: varchar("format", { length: 10, enum: ["cades", "pades"] }).notNull(),
  intact: boolean("intact").notNull(),
  problem: text("problem"),
  /** Signer reports (name, fiscal code, signing time, validity, certificate in base64). */
  signers: jsonb("signers").notNull(),
  checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
});

/** CA certificates an administrator trusts, in place of the national trust list. */
export const trustedCertificates = pgTable("trusted_certificates", {
  id: uuid("id").primaryKey().defaultRandom(),
  subject: text("subject").notNull(),
  sha256: varchar("sha256", { length: 64 }).notNull().unique(),
  der: bytea("der").notNull(),
  notAfter: timestamp("not_after", { withTimezone: true }).notNull(),
  addedBy: uuid("added_by").references(() => users.id),
  createdAt: createdAt(),
  /** Removed by an administrator (docs/decisions/0101): kept for the audit trail, no longer trusted. */
  removedAt: timestamp("removed_at", { withTimezone: true }),
  removedBy: uuid("removed_by").references(() => users.id),
});

/**
 * Certificate revocation lists an administrator loads (the servers cannot reach the authorities'
 * distribution points): signers' certificates are checked against them when shown (ADR 0101).
 */
export const trustedCrls = pgTable("trusted_crls", {
  id: uuid("id").primaryKey().defaultRandom(),
  issuer: text("issuer").notNull(),
  sha256: varchar("sha256", { length: 64 }).notNull().unique(),
  der: bytea("der").notNull(),
  thisUpdate: timestamp("this_update", { withTimezone: true }).notNull(),
  nextUpdate: timestamp("next_update", { withTimezone: true }),
  addedBy: uuid("added_by").references(() => users.id),
  createdAt: createdAt(),
});

export const FAQ_STATUSES = ["draft", "published"] as const;

/**
 * Frequent answers of the help desk (docs/decisions/0099): drafted by an administrator from
 * scratch or proposed by an operator from a ticket's answer, published by an administrator on the
 * public instructions pages and found by the catalogue's search.
 */
export const faqEntries = pgTable(
  "faq_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    question: varchar("question", { length: 300 }).notNull(),
    answer: text("answer").notNull(),
    category: varchar("category", { length: 20, enum: TICKET_CATEGORIES }),
    status: varchar("status", { length: 10, enum: FAQ_STATUSES }).notNull().default("draft"),
    /** The ticket whose answer it came from (its number is what administrators see). */
    sourceTicketId: uuid("source_ticket_id").references(() => tickets.id),
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs(sql`setweight(to_tsvector('italian', coalesce(question, '')), 'A') || setweight(to_tsvector('italian', coalesce(answer, '')), 'B')`),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id),
    updatedBy: uuid("updated_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("faq_entries_search_idx").using("gin", t.search), index("faq_entries_status_idx").on(t.status, t.updatedAt)],
);
