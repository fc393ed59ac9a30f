import { assign, setup } from "xstate";

export const APPLICATION_MACHINE_VERSION = 1;

export type Opinion = { outcome: "favorevole" | "sfavorevole"; notes: string; at: string; userId: string };

export type ApplicationContext = {
  /** Org unit codes that must give an opinion, fixed at sending by the procedure's routing. */
  offices: string[];
  opinions: Record<string, Opinion>;
  integrationDueOn: string | null;
  decisionReasons: string | null;
};

/** Time comes in the event, never from a clock. Who may send each event is checked by the caller. */
export type ApplicationEvent =
  | { type: "SUBMIT"; at: string; offices: string[] }
  | { type: "OPINION"; at: string; office: string; outcome: Opinion["outcome"]; notes: string; userId: string }
  | { type: "START_REVIEW"; at: string }
  | { type: "REQUEST_INTEGRATION"; at: string; dueOn: string }
  | { type: "ANSWER_INTEGRATION"; at: string }
  | { type: "DECIDE"; at: string; outcome: "accolta" | "respinta"; reasons: string }
  | { type: "WITHDRAW"; at: string }
  | { type: "ARCHIVE"; at: string };

/** What the handling office may do while reviewing: ask an integration, decide; the applicant may withdraw. */
const UNDER_REVIEW = {
  REQUEST_INTEGRATION: { target: "integrazione_richiesta", actions: "due" },
  DECIDE: [
    { guard: "accepts", target: "accolta", actions: "decide" },
    { guard: "rejects", target: "respinta", actions: "decide" },
  ],
  WITHDRAW: "ritirata",
} as const;

/**
 * An online application: bozza → inviata → in_istruttoria → (integrazione_richiesta ⇄ integrata)
 * → accolta | respinta, plus ritirata and archiviata. The offices' checks run side by side while
 * `inviata` (docs/decisions/0062): each office's opinion is recorded once, and the application
 * moves to `in_istruttoria` when the last one arrives. The set of offices varies per procedure
 * and per answers, so the checks are a map in the context rather than fixed parallel regions.
 */
export const applicationMachine = setup({
  types: {
    context: {} as ApplicationContext,
    events: {} as ApplicationEvent,
    input: {} as Record<string, never>,
  },
  guards: {
    pendingOffice: ({ context, event }) => event.type === "OPINION" && context.offices.includes(event.office) && !context.opinions[event.office],
    allAnswered: ({ context }) => context.offices.length > 0 && context.offices.every((o) => context.opinions[o]),
    noOffices: ({ context }) => context.offices.length === 0,
    accepts: ({ event }) => event.type === "DECIDE" && event.outcome === "accolta" && event.reasons.trim().length > 0,
    rejects: ({ event }) => event.type === "DECIDE" && event.outcome === "respinta" && event.reasons.trim().length > 0,
  },
  actions: {
    route: assign({ offices: ({ event }) => (event.type === "SUBMIT" ? [...new Set(event.offices)] : []), opinions: () => ({}) }),
    record: assign({
      opinions: ({ context, event }) =>
        event.type === "OPINION" ? { ...context.opinions, [event.office]: { outcome: event.outcome, notes: event.notes, at: event.at, userId: event.userId } } : context.opinions,
    }),
    due: assign({ integrationDueOn: ({ event }) => (event.type === "REQUEST_INTEGRATION" ? event.dueOn : null) }),
    answered: assign({ integrationDueOn: () => null }),
    decide: assign({ decisionReasons: ({ event }) => (event.type === "DECIDE" ? event.reasons.trim() : null) }),
  },
}).createMachine({
  id: "application",
  initial: "bozza",
  context: () => ({ offices: [], opinions: {}, integrationDueOn: null, decisionReasons: null }),
  states: {
    bozza: {
      on: { SUBMIT: { target: "inviata", actions: "route" }, WITHDRAW: "ritirata" },
    },
    inviata: {
      always: { guard: "allAnswered", target: "in_istruttoria" },
      on: {
        OPINION: { guard: "pendingOffice", target: "inviata", actions: "record", reenter: true },
        // Without offices to hear, the handling office starts the review itself.
        START_REVIEW: { guard: "noOffices", target: "in_istruttoria" },
        WITHDRAW: "ritirata",
      },
    },
    in_istruttoria: { on: UNDER_REVIEW },
    integrazione_richiesta: {
      on: { ANSWER_INTEGRATION: { target: "integrata", actions: "answered" }, WITHDRAW: "ritirata" },
    },
    // Back from the applicant: the same moves as under review.
    integrata: { on: UNDER_REVIEW },
    accolta: { on: { ARCHIVE: "archiviata" } },
    respinta: { on: { ARCHIVE: "archiviata" } },
    ritirata: { on: { ARCHIVE: "archiviata" } },
    archiviata: { type: "final" },
  },
});
