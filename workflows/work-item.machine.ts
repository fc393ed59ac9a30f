import { assign, setup } from "xstate";

export const WORK_ITEM_MACHINE_VERSION = 1;

export type WorkItemContext = {
  assigneeUserId: string | null;
  priority: "normale" | "alta";
  dueOn: string | null;
};

/** Time comes in the event, never from a clock. Who may be assigned is checked by the caller. */
export type WorkItemEvent =
  | { type: "TAKE"; at: string; userId: string; priority?: "normale" | "alta"; dueOn?: string | null }
  | { type: "ASSIGN"; at: string; userId: string; priority?: "normale" | "alta"; dueOn?: string | null }
  | { type: "RELEASE"; at: string }
  | { type: "COMPLETE"; at: string }
  | { type: "REOPEN"; at: string };

/**
 * An official's handling of one practice: open (nobody) → in_charge (one official, with a
 * priority and a due date) → done; taken back, released or reopened along the way.
 */
export const workItemMachine = setup({
  types: {
    context: {} as WorkItemContext,
    events: {} as WorkItemEvent,
    input: {} as Record<string, never>,
  },
  guards: {
    someoneElse: ({ context, event }) => "userId" in event && event.userId !== context.assigneeUserId,
  },
  actions: {
    hold: assign({
      assigneeUserId: ({ event }) => ("userId" in event ? event.userId : null),
      priority: ({ context, event }) => ("priority" in event && event.priority ? event.priority : context.priority),
      dueOn: ({ context, event }) => ("dueOn" in event && event.dueOn !== undefined ? event.dueOn : context.dueOn),
    }),
    drop: assign({ assigneeUserId: () => null }),
  },
}).createMachine({
  id: "work_item",
  initial: "open",
  context: () => ({ assigneeUserId: null, priority: "normale", dueOn: null }),
  states: {
    open: {
      on: {
        TAKE: { target: "in_charge", actions: "hold" },
        ASSIGN: { target: "in_charge", actions: "hold" },
        COMPLETE: { target: "done" },
      },
    },
    in_charge: {
      on: {
        TAKE: { guard: "someoneElse", target: "in_charge", actions: "hold" },
        ASSIGN: { guard: "someoneElse", target: "in_charge", actions: "hold" },
        RELEASE: { target: "open", actions: "drop" },
        COMPLETE: { target: "done" },
      },
    },
    done: {
      on: { REOPEN: { target: "open", actions: "drop" } },
    },
  },
});
