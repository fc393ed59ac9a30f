import { transition } from "xstate";
import { pathBetween } from "./practice-graph";
import { PRACTICE_STATES, practiceMachine, type PracticeState } from "./practice.machine";
import { practiceSnapshot, type PracticeSnapshot } from "./practice-snapshot";

export type PracticePosition = { state: PracticeState; stateDate: string };

export type Decision =
  | { ok: true; kind: "created" | "transition" | "same_state"; snapshot: PracticeSnapshot }
  | { ok: false; code: "TRANSITION_NOT_ALLOWED" | "DATE_ORDER" };

/**
 * Decides a reported position for a practice with the machine itself: a new practice starts in
 * whatever state it is reported; a known one walks the shortest path of direct moves with XState's
 * pure transition function, each step dated data_stato (the spec invents no dates).
 */
export function decideReport(current: PracticePosition | null, report: PracticePosition): Decision {
  if (!current) return { ok: true, kind: "created", snapshot: practiceSnapshot(report.state, { stateDate: report.stateDate }) };
  if (report.stateDate < current.stateDate) return { ok: false, code: "DATE_ORDER" };
  if (report.state === current.state) return { ok: true, kind: "same_state", snapshot: practiceSnapshot(report.state, { stateDate: report.stateDate }) };
  const path = pathBetween(current.state, report.state);
  if (!path) return { ok: false, code: "TRANSITION_NOT_ALLOWED" };
  let snapshot = practiceMachine.resolveState({ value: current.state, context: { stateDate: current.stateDate } });
  for (const step of path) {
    const [next] = transition(practiceMachine, snapshot, { type: `TO_${step}`, date: report.stateDate });
    if (next.value !== step) return { ok: false, code: "TRANSITION_NOT_ALLOWED" };
    snapshot = next;
  }
  return { ok: true, kind: "transition", snapshot: practiceSnapshot(snapshot.value as PracticeState, snapshot.context) };
}

let moves: ReadonlySet<string> | undefined;

/**
 * The reported states the machine accepts from each current state, as `FROM>TO` keys: the bulk
 * path looks moves up here, so its decisions are the machine's own (dates are checked apart).
 */
export function acceptedMoves(): ReadonlySet<string> {
  if (!moves) {
    const accepted = new Set<string>();
    for (const from of PRACTICE_STATES)
      for (const to of PRACTICE_STATES)
        if (decideReport({ state: from, stateDate: "2000-01-01" }, { state: to, stateDate: "2000-01-01" }).ok) accepted.add(`${from}>${to}`);
    moves = accepted;
  }
  return moves;
}
