import { z } from "zod";
import { getConfig } from "~/config.server";
import { normalizeFiscalCode, isValidPersonalFiscalCode } from "~/lib/fiscal-code";
import { escapeHtml as e, plainPage } from "~/lib/plain-page.server";
import { DEMO_IDENTITIES } from "~/demo/identities";
import { getSaml } from "./saml-runtime.server";
import { verifyLogoutResponse } from "./saml-logout.server";

/**
 * Pages of the built-in TEST identity provider (development, demo and end-to-end tests only):
 * it verifies our signed AuthnRequest and answers with a really signed SAML Response.
 */
async function requireTestIdp() {
  const { testIdp } = await getSaml();
  if (!testIdp) throw new Response("Not found", { status: 404 });
  return testIdp;
}

async function verifiedRequest(query: string) {
  const testIdp = await requireTestIdp();
  try {
    const req = await testIdp.parseAuthnRequest(query);
    const acs = `${getConfig().baseUrl}/auth/saml/acs`;
    if (req.acsUrl && req.acsUrl !== acs) throw new Error("AssertionConsumerServiceURL inattesa");
    return { testIdp, req: { ...req, acsUrl: acs } };
  } catch (err) {
    throw plainPage(400, "Richiesta di autenticazione non valida", `La richiesta SAML non è valida: ${(err as Error).message}`);
  }
}

export async function renderIdentityChooser(request: Request) {
  const query = new URL(request.url).search.slice(1);
  await verifiedRequest(query);
  const hidden = `<input type="hidden" name="request" value="${e(query)}">`;
  const rows = DEMO_IDENTITIES.map(
    (p) => `<li class="list-group-item d-flex justify-content-between align-items-center">
  <span><strong>${e(p.name)} ${e(p.familyName)}</strong> — ${e(p.description)}<br><small class="text-muted">${e(p.fiscalCode)}</small></span>
  <form method="post">${hidden}<input type="hidden" name="fiscalCode" value="${e(p.fiscalCode)}">
  <button class="btn btn-primary btn-sm" type="submit" aria-label="Entra come ${e(p.name)} ${e(p.familyName)}">Entra come ${e(p.name)}</button></form></li>`,
  ).join("\n");
  const body = `<div class="alert alert-warning" role="note">Identity provider <strong>di prova</strong> incorporato: non usa identità reali ed è disattivato in produzione.</div>
<h2 class="h4">Identità dimostrative</h2><ul class="list-group mb-4">${rows}</ul>
<h2 class="h4">Altra identità</h2>
<form method="post" class="row g-3">${hidden}
<div class="col-md-6"><label class="form-label" for="fiscalCode">Codice fiscale</label><input type="text" class="form-control" id="fiscalCode" name="fiscalCode" required maxlength="16" autocomplete="off"></div>
<div class="col-md-6"><label class="form-label" for="email">E-mail</label><input class="form-control" id="email" name="email" type="email"></div>
<div class="col-md-6"><label class="form-label" for="name">Nome</label><input type="text" class="form-control" id="name" name="name"></div>
<div class="col-md-6"><label class="form-label" for="familyName">Cognome</label><input type="text" class="form-control" id="familyName" name="familyName"></div>
<div class="col-12"><button class="btn btn-outline-primary" type="submit">Entra con questa identità</button></div></form>
<form method="post" class="mt-4">${hidden}<input type="hidden" name="outcome" value="cancel">
<button class="btn btn-outline-secondary" type="submit">Annulla l'accesso</button></form>`;
  return plainPage(200, "Accesso di prova (SPID/CIE simulato)", body, { html: true });
}

const chosenIdentity = z.object({
  request: z.string().min(1),
  fiscalCode: z.string().transform(normalizeFiscalCode).refine(isValidPersonalFiscalCode, "Codice fiscale non valido"),
  name: z.string().trim().optional(),
  familyName: z.string().trim().optional(),
  email: z.string().trim().optional(),
});

/** "Annulla": the IdP answers as SPID IdPs do when the user gives up (ErrorCode nr25, no assertion). */
const cancelled = z.object({ request: z.string().min(1), outcome: z.literal("cancel") });

export async function answerWithSignedResponse(request: Request) {
  const form = Object.fromEntries(await request.formData());
  const cancel = cancelled.safeParse(form);
  if (cancel.success) {
    const { testIdp, req } = await verifiedRequest(cancel.data.request);
    const samlResponse = testIdp.buildSignedResponse({
      inResponseTo: req.id,
      acsUrl: req.acsUrl,
      audience: req.issuer,
      identity: { fiscalCode: "", name: "", familyName: "", email: "" },
      failure: { statusMessage: "ErrorCode nr25" },
    });
    return postToAcs(req, samlResponse);
  }
  const parsed = chosenIdentity.safeParse(form);
  if (!parsed.success) return plainPage(400, "Identità non valida", parsed.error.issues.map((i) => i.message).join("; "));
  const input = parsed.data;
  const { testIdp, req } = await verifiedRequest(input.request);
  const demo = DEMO_IDENTITIES.find((p) => p.fiscalCode === input.fiscalCode);
  const samlResponse = testIdp.buildSignedResponse({
    inResponseTo: req.id,
    acsUrl: req.acsUrl,
    audience: req.issuer,
    identity: {
      fiscalCode: input.fiscalCode,
      name: input.name || demo?.name || "Nome",
      familyName: input.familyName || demo?.familyName || "Cognome",
      email: input.email || demo?.email || "persona@example.it",
    },
  });
  return postToAcs(req, samlResponse);
}

/** The page that carries the signed answer back to the SP (HTTP-POST binding). */
function postToAcs(req: { acsUrl: string; relayState?: string }, samlResponse: string) {
  const relay = req.relayState ? `<input type="hidden" name="RelayState" value="${e(req.relayState)}">` : "";
  const body = `<p>Ritorno al servizio in corso…</p>
<form method="post" action="${e(req.acsUrl)}" id="saml-post"><input type="hidden" name="SAMLResponse" value="${e(samlResponse)}">${relay}
<button class="btn btn-primary" type="submit">Continua</button></form>
<script src="/test-idp-autopost.js"></script>`;
  return plainPage(200, "Accesso di prova", body, { html: true, headers: { "Cache-Control": "no-store" } });
}

/**
 * The test IdP's SingleLogoutService: it takes our signed LogoutResponse and says the logout is
 * complete, or refuses one it cannot verify.
 */
export async function acknowledgeLogoutResponse(request: Request) {
  await requireTestIdp();
  const { serviceProvider, spCertPem } = await getSaml();
  const ok = verifyLogoutResponse(new URL(request.url).search.slice(1), { spCert: spCertPem, spEntityId: serviceProvider.entityId });
  if (!ok) return plainPage(400, "Risposta di uscita non valida", "La risposta di uscita del servizio non è firmata correttamente.");
  return plainPage(
    200,
    "Uscita completata",
    `<div class="alert alert-warning" role="note">Identity provider <strong>di prova</strong> incorporato.</div><p>Il servizio ha confermato l'uscita: la sessione è chiusa.</p><p><a class="btn btn-primary" href="/">Torna alla home</a></p>`,
    { html: true },
  );
}
