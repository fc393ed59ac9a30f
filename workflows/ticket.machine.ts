import { assign, setup } from "xstate";

export const TICKET_MACHINE_VERSION = 1;

/** The sender may reopen a closed ticket for this long after it was closed. */
export const REOPEN_WITHIN_MS = 10 * 86_400_000;

/** A stretch of time the ticket waited for the sender: the service-level clock stood still. */
export type TicketWait = { from: string; to: string };

export type TicketContext = {
  assigneeUserId: string | null;
  /** The operator's first message to the sender (an answer or a request for information). */
  firstAnsweredAt: string | null;
  waitingSince: string | null;
  waits: TicketWait[];
  closedAt: string | null;
  reopened: number;
};

/** Time comes in the event, never from a clock. Who may act (queue, sender) is checked by the caller. */
export type TicketEvent =
  | { type: "TAKE"; at: string; userId: string }
  | { type: "ASSIGN"; at: string; userId: string }
  | { type: "ASK_INFO"; at: string }
  | { type: "SENDER_REPLY"; at: string }
  | { type: "ANSWER"; at: string }
  | { type: "CLOSE"; at: string }
  | { type: "REOPEN"; at: string };

/**
 * A help-desk ticket: new (in its queue, nobody) → in_charge (one operator) ⇄ waiting (the
 * operator asked the sender for information; the service-level clock stops) → answered → closed;
 * the sender may reopen a closed ticket within 10 days.
 */
export const ticketMachine = setup({
  types: {
    context: {} as TicketContext,
    events: {} as TicketEvent,
    input: {} as Record<string, never>,
  },
  guards: {
    someoneElse: ({ context, event }) => "userId" in event && event.userId !== context.assigneeUserId,
    withinReopenTerm: ({ context, event }) =>
      context.closedAt !== null && Date.parse(event.at) - Date.parse(context.closedAt) <= REOPEN_WITHIN_MS,
  },
  actions: {
    hold: assign({ assigneeUserId: ({ event }) => ("userId" in event ? event.userId : null) }),
    firstAnswer: assign({ firstAnsweredAt: ({ context, event }) => context.firstAnsweredAt ?? event.at }),
    startWaiting: assign({ waitingSince: ({ event }) => event.at }),
    stopWaiting: assign({
      waits: ({ context, event }) => (context.waitingSince ? [...context.waits, { from: context.waitingSince, to: event.at }] : context.waits),
      waitingSince: () => null,
    }),
    close: assign({ closedAt: ({ event }) => event.at }),
    reopen: assign({ closedAt: () => null, reopened: ({ context }) => context.reopened + 1 }),
  },
}).createMachine({
  id: "ticket",
  initial: "new",
  context: () => ({ assigneeUserId: null, firstAnsweredAt: null, waitingSince: null, waits: [], closedAt: null, reopened: 0 }),
  states: {
    new: {
      on: {
        TAKE: { target: "in_charge", actions: "hold" },
        ASSIGN: { target: "in_charge", actions: "hold" },
        SENDER_REPLY: { target: "new" },
        CLOSE: { target: "closed", actions: "close" },
      },
    },
    in_charge: {
      on: {
        TAKE: { guard: "someoneElse", target: "in_charge", actions: "hold" },
        ASSIGN: { guard: "someoneElse", target: "in_charge", actions: "hold" },
        ASK_INFO: { target: "waiting", actions: ["firstAnswer", "startWaiting"] },
        ANSWER: { target: "answered", actions: "firstAnswer" },
        SENDER_REPLY: { target: "in_charge" },
        CLOSE: { target: "closed", actions: "close" },
      },
    },
    waiting: {
      on: {
        ASSIGN: { guard: "someoneElse", target: "waiting", actions: "hold" },
        SENDER_REPLY: { target: "in_charge", actions: "stopWaiting" },
        CLOSE: { target: "closed", actions: ["stopWaiting", "close"] },
      },
    },
    answered: {
      on: {
        ASSIGN: { guard: "someoneElse", target: "in_charge", actions: "hold" },
        SENDER_REPLY: { target: "in_charge" },
        ANSWER: { target: "answered" },
        CLOSE: { target: "closed", actions: "close" },
      },
    },
    closed: {
      on: { REOPEN: { guard: "withinReopenTerm", target: "in_charge", actions: "reopen" } },
    },
  },
});
