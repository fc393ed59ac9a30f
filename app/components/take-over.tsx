import { Form, Link } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfInput } from "./csrf-input";

/**
 * Asks before taking in charge a practice or an online application (ADR 112) a colleague holds,
 * naming who holds it. A plain form: without JavaScript the server's answer is this page, and
 * confirming posts again with takeOver=1.
 */
export function TakeOverConfirm({ takeOver, cancelTo }: { takeOver: { practiceId?: number; applicationId?: string; code: string; holder: string }; cancelTo: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [takeOver.practiceId, takeOver.applicationId]);
  const noun = takeOver.applicationId ? "domanda" : "pratica";
  return (
    <div className="alert alert-warning" data-testid="take-over-confirm">
      <h2 className="h5" tabIndex={-1} ref={heading} data-autofocus>
        La {noun} {takeOver.code} è in carico a {takeOver.holder}
      </h2>
      <p>Vuoi prenderla in carico al suo posto? {takeOver.holder} non l'avrà più in carico; il cambio resta nella storia della lavorazione.</p>
      <Form method="post" className="d-flex flex-wrap gap-2">
        <CsrfInput />
        <input type="hidden" name="intent" value="work" />
        <input type="hidden" name="action" value="take" />
        {takeOver.applicationId ? <input type="hidden" name="applicationId" value={takeOver.applicationId} /> : <input type="hidden" name="practiceId" value={takeOver.practiceId} />}
        <input type="hidden" name="takeOver" value="1" />
        <button type="submit" className="btn btn-primary">Sì, prendi in carico la {noun} {takeOver.code}</button>
        <Link className="btn btn-outline-primary" to={cancelTo}>No, lasciala a {takeOver.holder}</Link>
      </Form>
    </div>
  );
}
