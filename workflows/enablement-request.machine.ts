import { assign, setup } from "xstate";

/** An enablement request's states (`enablement_requests.state`). */
export const ENABLEMENT_REQUEST_MACHINE_VERSION = 1;

export type EnablementRequestContext = {
  submittedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
};

/** Time and author come in the event, never from a clock. */
export type EnablementRequestEvent =
  | { type: "APPROVE"; at: string; by: string }
  | { type: "REJECT"; at: string; by: string; reason: string }
  | { type: "WITHDRAW"; at: string; by: string };

/**
 * submitted → approved (the person's access becomes active), rejected (with a reason) or
 * withdrawn by the requester before the decision. Every end is final: a request decided or
 * withdrawn cannot be decided again.
 */
export const enablementRequestMachine = setup({
  types: {
    context: {} as EnablementRequestContext,
    events: {} as EnablementRequestEvent,
    input: {} as { submittedAt: string },
  },
  guards: {
    hasReason: ({ event }) => event.type === "REJECT" && event.reason.trim().length > 0,
  },
  actions: {
    recordDecision: assign({
      decidedAt: ({ event }) => event.at,
      decidedBy: ({ event }) => event.by,
      reason: ({ event }) => (event.type === "REJECT" ? event.reason.trim() : null),
    }),
  },
}).createMachine({
  id: "enablementRequest",
  initial: "submitted",
  context: ({ input }) => ({ submittedAt: input.submittedAt, decidedAt: null, decidedBy: null, reason: null }),
  states: {
    submitted: {
      on: {
        APPROVE: { target: "approved", actions: "recordDecision" },
        REJECT: { target: "rejected", guard: "hasReason", actions: "recordDecision" },
        WITHDRAW: { target: "withdrawn", actions: "recordDecision" },
      },
    },
    approved: { type: "final" },
    rejected: { type: "final" },
    withdrawn: { type: "final" },
  },
});
