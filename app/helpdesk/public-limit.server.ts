import { auditAnonymousFailure } from "~/audit/audit.server";
import { getConfig } from "~/config.server";
import { clientIp } from "~/lib/request.server";
import { secondsOverLimit } from "~/web/rate-limit.server";

const HOUR_MS = 3_600_000;

/**
 * The public help-desk form, posted by someone not signed in, is counted per client address and
 * in all, in one-hour windows (docs/decisions/0100). Returns the seconds to wait, 0 when the post
 * may go on; a refusal is counted as an anonymous failure (one audit row per address and hour).
 */
export async function publicTicketWait(request: Request, limits = getConfig().helpdeskRateLimits, now = new Date()) {
  const ip = clientIp(request);
  const seconds = await secondsOverLimit(
    [
      { key: `helpdesk:ip:${ip ?? ""}`, limit: limits.perAddressPerHour, windowMs: HOUR_MS },
      { key: "helpdesk:all", limit: limits.perHour, windowMs: HOUR_MS },
    ],
    now,
  );
  if (seconds) await auditAnonymousFailure(ip, { action: "ticket.open", reason: "rate_limited" });
  return seconds;
}

/** "riprovare tra 12 minuti": whole minutes, at least one. */
export const waitMessage = (seconds: number) => {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Troppe richieste di assistenza inviate da questo indirizzo o in questo momento: riprovare tra ${minutes} ${minutes === 1 ? "minuto" : "minuti"}. Nessuna richiesta è stata registrata.`;
};
