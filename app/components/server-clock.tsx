import { useEffect, useState } from "react";
import { timeLeftItalian } from "~/lib/dates";

const romeTime = new Intl.DateTimeFormat("it-IT", { timeZone: "Europe/Rome", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/**
 * The server's clock and the countdown to the opening. The offset from the PC's clock is taken
 * from /click-day/orologio at the midpoint of the round trip and taken again every 30 seconds,
 * so a PC clock that is off changes nothing. Without JavaScript the page shows the server's time
 * when it was made.
 */
export function ServerClock({ serverNow, opensAt }: { serverNow: string; opensAt: string }) {
  const [offset, setOffset] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stop = false;
    const sync = async () => {
      const t0 = Date.now();
      const r = await fetch("/click-day/orologio", { cache: "no-store" }).catch(() => null);
      const t1 = Date.now();
      if (!r?.ok || stop) return;
      const { now } = (await r.json()) as { now: string };
      setOffset(new Date(now).getTime() - (t0 + t1) / 2);
    };
    setOffset(new Date(serverNow).getTime() - Date.now());
    void sync();
    const resync = setInterval(sync, 30_000);
    const timer = setInterval(() => setTick((n) => n + 1), 250);
    return () => { stop = true; clearInterval(resync); clearInterval(timer); };
  }, [serverNow]);
  const now = offset === null ? new Date(serverNow).getTime() : Date.now() + offset;
  const ms = new Date(opensAt).getTime() - now;
  return (
    <div className="callout" data-tick={tick}>
      <p className="mb-1">Ora del server (ora italiana): <strong data-testid="server-clock">{romeTime.format(now)}</strong></p>
      <p className="mb-0" role="timer" aria-live="off" data-testid="countdown">
        {ms > 0 ? <>Apertura tra <strong>{timeLeftItalian(ms)}</strong></> : <strong>Il click day è aperto: puoi inviare.</strong>}
      </p>
    </div>
  );
}
