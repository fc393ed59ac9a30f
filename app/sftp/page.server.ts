import { audit } from "~/audit/audit.server";
import { requireInScope, type SignedIn } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import { FieldErrors, InputError } from "~/lib/errors";
import { formValues, runForm } from "~/lib/form-action.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { getGestoreDetail } from "~db/queries/gestori";
import { listSftpAccounts, listSftpExports, recentSftpEvents, sftpCandidates, sftpExportOfGestore } from "~db/queries/sftp";
import { z } from "zod";
import { createAccountInput, createSftpAccount, revokeSftpAccount, setReceiptMail } from "./accounts.server";
import { requestPracticesExport } from "./exports.server";
import { hostKeyFingerprint } from "./host-key.server";

/** How a client reaches the server: the public host name of BASE_URL and the SFTP port. */
export function sftpEndpoint() {
  const { sftp, baseUrl } = getConfig();
  return { enabled: sftp.port !== 0, host: new URL(baseUrl).hostname, port: sftp.port, fingerprint: hostKeyFingerprint(sftp) };
}

async function gestoreOf(request: Request, signedIn: SignedIn, cf: string) {
  const detail = await requireInScope(request, signedIn.actor, () => getGestoreDetail(getDb(), signedIn.actor, cf), "Ente gestore non trovato.");
  return detail.gestore;
}

/** The gestore's SFTP page: accounts, who may hold one, recent traced operations (audited: it lists people). */
export async function sftpPageData(request: Request, signedIn: SignedIn, cf: string) {
  const gestore = await gestoreOf(request, signedIn, cf);
  const db = getDb();
  const [accounts, candidates, events, exports] = await Promise.all([
    listSftpAccounts(db, gestore.id),
    sftpCandidates(db, gestore.id),
    recentSftpEvents(db, gestore.id),
    listSftpExports(db, gestore.id),
  ]);
  await audit(db, { actor: signedIn.actor, ip: clientIp(request) }, { action: "sftp_account.list", objectType: "gestore", objectId: gestore.id, gestoreId: gestore.id });
  return {
    gestore: { name: gestore.name, fiscalCode: gestore.fiscalCode },
    endpoint: sftpEndpoint(),
    accounts: accounts.map((a) => ({
      ...a,
      publicKeys: a.publicKeys.map((k) => ({ type: k.type, bits: k.bits, fingerprint: k.fingerprint })),
      createdAt: a.createdAt.toISOString(),
      revokedAt: a.revokedAt?.toISOString() ?? null,
    })),
    candidates: candidates.map((c) => ({ value: c.id, label: `${c.surname} ${c.name}` })),
    events: events.map((e) => ({ id: e.id, at: e.at.toISOString(), action: e.action, outcome: e.outcome, ip: e.ip, details: e.details })),
    exports: exports.map((e) => ({ ...e, createdAt: e.createdAt.toISOString(), readAt: e.readAt?.toISOString() ?? null })),
  };
}

const revokeInput = z.object({ intent: z.literal("revoke"), accountId: z.uuid("Utenza non valida") });
const exportInput = z.object({ intent: z.literal("export"), accountId: z.uuid("Utenza non valida") });
const receiptInput = z.object({ intent: z.literal("receipt"), accountId: z.uuid("Utenza non valida"), receiptMail: z.enum(["on", "off"]) });

/** A prepared export of the gestore, downloaded from its SFTP page: it stays for the web once read via SFTP. */
export async function sftpExportDownload(request: Request, signedIn: SignedIn, cf: string, id: string) {
  const gestore = await gestoreOf(request, signedIn, cf);
  const file = await sftpExportOfGestore(getDb(), gestore.id, id);
  if (!file) throw new Response("File non trovato", { status: 404 });
  await audit(getDb(), { actor: signedIn.actor, ip: clientIp(request) }, { action: "sftp_export.download", objectType: "sftp_export", objectId: id, gestoreId: gestore.id });
  return new Response(new Uint8Array(file.content), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${file.fileName}"` },
  });
}

export async function handleSftpAction(request: Request, signedIn: SignedIn, cf: string, form: FormData) {
  const gestore = await gestoreOf(request, signedIn, cf);
  const values = formValues(form);
  const who = { actor: signedIn.actor, ip: clientIp(request) };
  let password: string | null = null;
  const result = await runForm(values, async () => {
    if (signedIn.actor.gestoreId !== gestore.id) throw new InputError("Le utenze SFTP si gestiscono solo per il proprio ente");
    if (values.intent === "export") {
      const parsed = exportInput.safeParse(values);
      if (!parsed.success) throw new InputError(parsed.error.issues[0]!.message);
      const username = await requestPracticesExport(who, parsed.data.accountId);
      return `Elenco delle pratiche in preparazione: comparirà in /out/export dell'utenza ${username} e qui sotto.`;
    }
    if (values.intent === "receipt") {
      const parsed = receiptInput.safeParse(values);
      if (!parsed.success) throw new InputError(parsed.error.issues[0]!.message);
      const row = await setReceiptMail(getDb(), who, parsed.data.accountId, parsed.data.receiptMail === "on");
      return row.receiptMail ? `Conferma di ricezione attivata per ${row.username}.` : `Conferma di ricezione disattivata per ${row.username}.`;
    }
    if (values.intent === "revoke") {
      const parsed = revokeInput.safeParse(values);
      if (!parsed.success) throw new InputError(parsed.error.issues[0]!.message);
      const row = await revokeSftpAccount(getDb(), who, parsed.data.accountId);
      return `Utenza ${row.username} revocata: non può più collegarsi.`;
    }
    const parsed = createAccountInput.safeParse(values);
    if (!parsed.success) throw new FieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "_form"), i.message])));
    const created = await createSftpAccount(getDb(), who, parsed.data);
    password = created.password;
    return `Utenza ${created.username} creata.`;
  });
  return result.ok ? { ...result, password } : result;
}
