import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3998);
const baseURL = `http://localhost:${PORT}`;
/** The SFTP server `npm start` runs too (issue 18): its own port per run, on loopback only. */
export const E2E_SFTP_PORT = Number(process.env.E2E_SFTP_PORT ?? PORT + 1000);

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser) against the platform
 * started exactly as `npm start` starts it, on a fresh embedded database with demo data.
 */
export default defineConfig({
  testDir: "test/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: "list",
  use: {
    baseURL,
    locale: "it-IT",
    timezoneId: "Europe/Rome",
    screenshot: "only-on-failure",
    // Specs inject axe-core as an inline script, which the site's CSP forbids; security.spec.ts
    // turns this off and checks the CSP in a real browser.
    bypassCSP: true,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "rm -rf .cache/e2e-data && node --import tsx app/bin/start.ts",
    url: `${baseURL}/accedi`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      BASE_URL: baseURL,
      DATA_DIR: ".cache/e2e-data",
      EMBEDDED_PG_PORT: String(Number(process.env.E2E_PG_PORT ?? 54398)),
      DATABASE_URL: "",
      NODE_ENV: "development",
      SESSION_SECRET: "e2e-session-secret-0123456789",
      // Every spec signs in and out from 127.0.0.1, dozens of times a minute on a fast machine; the
      // limits per address have their own test (test/integration/rate-limits.test.ts).
      RATE_LIMIT_AUTH_PER_MINUTE: "100000",
      RATE_LIMIT_API_PER_MINUTE: "100000",
      RATE_LIMIT_HELPDESK_PER_ADDRESS_PER_HOUR: "100000",
      // Applicants' local accounts (off by default; ADR 0067) for local-accounts.spec.ts. It adds
      // only their own pages and a link on /accedi and /admin/abilitazioni; other specs see no change.
      LOCAL_ACCOUNTS: "true",
      SFTP_PORT: String(E2E_SFTP_PORT),
      SFTP_HOST: "127.0.0.1",
    },
  },
});
