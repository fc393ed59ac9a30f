import { z } from "zod";
import type { SignedIn } from "~/auth/guards.server";
import type { ActionOutcome } from "~/components/action-result";
import { InputError } from "~/lib/errors";
import { uploadedOrPastedText } from "~/lib/form-action.server";
import { clientIp } from "~/lib/request.server";
import { getDb } from "~db/client";
import { importAtsList, setAtsQuota, setRegionQuota, territoriesAdminData } from "./territories.server";

/** The administrator's territories page (/admin/territori): the ATS list and the territorial quotas. */
export async function territoriesPageData() {
  return territoriesAdminData(getDb());
}

const action = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("import") }),
  z.object({ intent: z.literal("region-quota"), region: z.string().regex(/^\d{2}$/, "Regione non valida"), quota: z.string() }),
  z.object({ intent: z.literal("ats-quota"), ats: z.string().regex(/^[A-Za-z0-9-]{2,20}$/, "ATS non valido"), quota: z.string() }),
]);

export async function handleTerritoriesAction(request: Request, signedIn: SignedIn, form: FormData): Promise<ActionOutcome & { csv?: string }> {
  const parsed = action.safeParse(Object.fromEntries([...form].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Richiesta non valida" };
  const who = { actor: signedIn.actor, ip: clientIp(request) };
  const input = parsed.data;
  try {
    if (input.intent === "import") {
      const text = await uploadedOrPastedText(form);
      const result = await importAtsList(getDb(), who, text);
      if (!result.ok)
        return { ok: false, error: "Elenco non caricato: nessuna riga è stata registrata. Correggere le righe indicate e caricare di nuovo il file.", errors: result.errors.map((e) => ({ row: e.line, message: e.message })), csv: text.slice(0, 200_000) };
      return {
        ok: true,
        message: `Elenco caricato: ${result.rows} righe, ${result.ats} ATS.${result.demoRemoved ? ` La mappatura dimostrativa (${result.demoRemoved} comuni) è stata sostituita.` : ""}`,
      };
    }
    if (input.intent === "region-quota") {
      const q = await setRegionQuota(getDb(), who, input.region, { quota: input.quota });
      return { ok: true, message: `Regione ${input.region}: al massimo ${q} utenti regionali.` };
    }
    const q = await setAtsQuota(getDb(), who, input.ats, { quota: input.quota });
    return { ok: true, message: `ATS ${input.ats}: al massimo ${q} utenti.` };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e.message };
    throw e;
  }
}
