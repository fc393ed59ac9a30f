import { Form } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { CsrfInput } from "./csrf-input";

/**
 * An irreversible action (a revocation, a withdrawal) asks first in a bootstrap-italia modal.
 * With JavaScript the trigger opens the modal and focus moves into it; without, the trigger is a
 * link to the modal's anchor and CSS (`:target`, app.css) shows it as a confirmation box, so
 * the question is asked either way and never through the browser's confirm().
 */
export function ConfirmAction(props: {
  id: string;
  trigger: string;
  triggerLabel?: string;
  triggerClass?: string;
  title: string;
  question: ReactNode;
  confirmLabel: string;
  hidden: Record<string, string>;
  children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (!open) return;
    dialog.current?.querySelector<HTMLElement>("input:not([type=hidden]), button")?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close();
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);
  function close() {
    setOpen(false);
    trigger.current?.focus();
  }
  return (
    <>
      <a
        ref={trigger}
        href={`#${props.id}`}
        role="button"
        className={`btn btn-sm ${props.triggerClass ?? "btn-outline-danger"}`}
        aria-label={props.triggerLabel}
        aria-haspopup="dialog"
        onClick={(e) => {
          e.preventDefault();
          setOpen(true);
        }}
      >
        {props.trigger}
      </a>
      <div
        ref={dialog}
        className={`modal app-modal${open ? " show d-block" : ""}`}
        id={props.id}
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${props.id}-title`}
      >
        <div className="modal-dialog modal-dialog-centered" role="document">
          <div className="modal-content">
            <Form method="post">
              <div className="modal-header">
                <h2 className="modal-title h5 no_toc" id={`${props.id}-title`}>
                  {props.title}
                </h2>
              </div>
              <div className="modal-body">
                <p>{props.question}</p>
                <CsrfInput />
                {Object.entries(props.hidden).map(([name, value]) => (
                  <input key={name} type="hidden" name={name} value={value} />
                ))}
                {props.children}
              </div>
              <div className="modal-footer">
                <a
                  href="#"
                  role="button"
                  className="btn btn-outline-secondary btn-sm"
                  onClick={(e) => {
                    e.preventDefault();
                    close();
                  }}
                >
                  Annulla
                </a>
                <button type="submit" className="btn btn-danger btn-sm">
                  {props.confirmLabel}
                </button>
              </div>
            </Form>
          </div>
        </div>
      </div>
      {open ? <div className="modal-backdrop fade show" onClick={close} aria-hidden="true" /> : null}
    </>
  );
}
