import { spawn } from "node:child_process";
import http from "node:http";
import { freePort } from "./free-port";

export type WebServer = { url: string; port: number; stop: () => Promise<void>; output: () => string };

/**
 * Starts the real web server (`app/bin/web.ts`, the built app) on this test file's database, so
 * requests go through everything a browser's would: headers, body caps, rate limits, Remix.
 */
export async function startWebServer(env: Record<string, string> = {}): Promise<WebServer> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "app/bin/web.ts"], {
    env: { ...process.env, PORT: String(port), BASE_URL: url, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`web server exited: ${output}`);
    const ok = await fetch(`${url}/accedi`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300) throw new Error(`web server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * One HTTP request with full control over headers (Host, Origin, Content-Length) and the body,
 * which may be streamed in chunks (`Transfer-Encoding: chunked`) as an attacker's client would.
 */
export function rawRequest(
  server: { port: number },
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer | AsyncIterable<Buffer> },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: server.port, method: opts.method ?? "GET", path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    const body = opts.body;
    if (body === undefined) req.end();
    else if (typeof body === "string" || Buffer.isBuffer(body)) req.end(body);
    else
      (async () => {
        try {
          for await (const chunk of body) {
            if (req.destroyed) return;
            if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
          }
          req.end();
        } catch {
          /* the server answered and closed: the response (or the error) tells */
        }
      })();
  });
}

/** The name=value pairs a response sets (expired ones as empty values), to send back as a browser would. */
export function cookiesFrom(res: RawResponse, jar: Map<string, string> = new Map()) {
  const set = res.headers["set-cookie"] ?? [];
  for (const line of set) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1);
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") jar.delete(name);
    else jar.set(name, value);
  }
  return jar;
}

export const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/**
 * Walks the whole sign-in over HTTP as a browser does: /auth/login, the test IdP's answer,
 * the post to the ACS. Returns the ACS's answer and the browser's cookies after it.
 */
export async function signInOverHttp(
  server: { port: number },
  fiscalCode: string,
  opts: {
    redirectTo?: string;
    jar?: Map<string, string>;
    /** The cookies of the browser that posts the response to the ACS, when not the one that started (login CSRF). */
    acsJar?: Map<string, string>;
    headers?: Record<string, string>;
    tamperRelayState?: (r: string) => string;
    /** Another web process of the same installation that answers the IdP step and the ACS. */
    then?: { port: number };
  } = {},
) {
  const jar = opts.jar ?? new Map<string, string>();
  const start = await rawRequest(server, {
    path: `/auth/login?redirectTo=${encodeURIComponent(opts.redirectTo ?? "/")}`,
    headers: { cookie: cookieHeader(jar), ...opts.headers },
  });
  if (start.status !== 302) throw new Error(`login start: ${start.status} ${start.body}`);
  cookiesFrom(start, jar);
  const idpUrl = new URL(start.headers.location!);
  const idp = await rawRequest(opts.then ?? server, {
    method: "POST",
    path: "/test-idp/sso",
    headers: { "content-type": "application/x-www-form-urlencoded", ...opts.headers },
    body: new URLSearchParams({ request: idpUrl.search.slice(1), fiscalCode }).toString(),
  });
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(idp.body)?.[1]?.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  const samlResponse = field("SAMLResponse");
  if (!samlResponse) throw new Error(`test IdP: ${idp.status} ${idp.body.slice(0, 300)}`);
  let relayState = field("RelayState") ?? "";
  if (opts.tamperRelayState) relayState = opts.tamperRelayState(relayState);
  const acs = await rawRequest(opts.then ?? server, {
    method: "POST",
    path: "/auth/saml/acs",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(opts.acsJar ?? jar), ...opts.headers },
    body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: relayState }).toString(),
  });
  cookiesFrom(acs, opts.acsJar ?? jar);
  return { acs, jar, samlResponse, relayState };
}
