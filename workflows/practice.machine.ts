import { assign, setup } from "xstate";

/** The spec's practice states (docs/upload-format.md, "Practice states and transitions"). */
export const PRACTICE_STATES = [
  "PRESENTATA",
  "IN_ISTRUTTORIA",
  "SOSPESA",
  "DELIBERATA",
  "EROGATA",
  "NON_AMMESSA",
  "RINUNCIATA",
  "REVOCATA",
] as const;
export type PracticeState = (typeof PRACTICE_STATES)[number];

export const PRACTICE_MACHINE_VERSION = 1;

export type PracticeContext = { stateDate: string };
/** One direct move of the spec's table; time comes in the event, never from a clock. */
export type PracticeEvent = { type: `TO_${PracticeState}`; date: string };

const move = (to: PracticeState) => ({
  [`TO_${to}`]: { target: to, guard: "notBeforeCurrentState", actions: "recordDate" },
});

/**
 * The practice lifecycle. Only the spec's direct moves are written here; multi-step jumps are
 * paths through this graph (see practice-graph.ts), so the table exists exactly once.
 */
export const practiceMachine = setup({
  types: {
    context: {} as PracticeContext,
    events: {} as PracticeEvent,
    input: {} as { stateDate: string },
  },
  guards: {
    // ISO dates compare correctly as strings.
    notBeforeCurrentState: ({ context, event }) => event.date >= context.stateDate,
  },
  actions: {
    recordDate: assign({ stateDate: ({ event }) => event.date }),
  },
}).createMachine({
  id: "practice",
  initial: "PRESENTATA",
  context: ({ input }) => ({ stateDate: input.stateDate }),
  states: {
    PRESENTATA: { on: { ...move("IN_ISTRUTTORIA"), ...move("NON_AMMESSA"), ...move("RINUNCIATA") } },
    IN_ISTRUTTORIA: { on: { ...move("SOSPESA"), ...move("DELIBERATA"), ...move("NON_AMMESSA"), ...move("RINUNCIATA") } },
    SOSPESA: { on: { ...move("IN_ISTRUTTORIA"), ...move("NON_AMMESSA"), ...move("RINUNCIATA") } },
    DELIBERATA: { on: { ...move("EROGATA"), ...move("RINUNCIATA"), ...move("REVOCATA") } },
    EROGATA: { on: { ...move("REVOCATA") } },
    NON_AMMESSA: { type: "final" },
    RINUNCIATA: { type: "final" },
    REVOCATA: { type: "final" },
  },
});
