import { assign, setup } from "xstate";

export const ACCESS_MACHINE_VERSION = 1;

export type AccessContext = {
  /** ISO instant; null for an access without a term (e.g. granted from the command line). */
  expiresAt: string | null;
  endedAt: string | null;
  reason: string | null;
};

/** Time comes in the event, never from a clock. */
export type AccessEvent =
  | { type: "RENEW"; at: string; expiresAt: string }
  | { type: "REVOKE"; at: string; reason?: string }
  | { type: "EXPIRE"; at: string };

/**
 * An access's lifecycle: active → revoked (at once, by the requester's side or an administrator)
 * or expired at the end of its term; renewal before the term ends moves the term forward.
 * ISO instants in UTC ("…Z") compare correctly as strings.
 */
export const accessMachine = setup({
  types: {
    context: {} as AccessContext,
    events: {} as AccessEvent,
    input: {} as { expiresAt: string | null },
  },
  guards: {
    renewableNow: ({ context, event }) =>
      event.type === "RENEW" &&
      context.expiresAt !== null &&
      event.at < context.expiresAt &&
      event.expiresAt > context.expiresAt,
    termOver: ({ context, event }) => context.expiresAt !== null && event.at >= context.expiresAt,
  },
  actions: {
    extend: assign({ expiresAt: ({ context, event }) => (event.type === "RENEW" ? event.expiresAt : context.expiresAt) }),
    end: assign({
      endedAt: ({ event }) => event.at,
      reason: ({ event }) => (event.type === "REVOKE" ? event.reason?.trim() || null : null),
    }),
  },
}).createMachine({
  id: "access",
  initial: "active",
  context: ({ input }) => ({ expiresAt: input.expiresAt, endedAt: null, reason: null }),
  states: {
    active: {
      on: {
        RENEW: { guard: "renewableNow", actions: "extend", target: "active", reenter: false },
        REVOKE: { target: "revoked", actions: "end" },
        EXPIRE: { target: "expired", guard: "termOver", actions: "end" },
      },
    },
    revoked: { type: "final" },
    expired: { type: "final" },
  },
});
