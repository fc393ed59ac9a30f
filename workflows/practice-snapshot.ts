import type { PracticeContext, PracticeState } from "./practice.machine";

/** What `practices.snapshot` holds: enough for `practiceMachine.resolveState` to resume it. */
export type PracticeSnapshot = { value: PracticeState; context: PracticeContext };

/**
 * The one shape of a practice's persisted snapshot. Every writer of practices builds it here:
 * the per-event runner (through decideReport) as an object, the file ingestion's COPY rows as
 * JSON text, its set-wise update as SQL. Adding a context field changes `PracticeContext`, and
 * the compiler then asks every caller below for it.
 */
export function practiceSnapshot(state: PracticeState, context: PracticeContext): PracticeSnapshot {
  return { value: state, context: { stateDate: context.stateDate } };
}

/** The snapshot as JSON text, for COPY rows (a state name and an ISO date need no escaping). */
export function practiceSnapshotText(state: PracticeState, context: PracticeContext): string {
  return JSON.stringify(practiceSnapshot(state, context));
}

/**
 * The snapshot as a SQL expression over columns: `state` and each context field are SQL
 * expressions (trusted code, never input), e.g. `practiceSnapshotSql("h.to_state", { stateDate: "h.state_date::text" })`.
 */
export function practiceSnapshotSql(state: string, context: { [K in keyof PracticeContext]: string }): string {
  const fields = Object.entries(context).map(([key, expr]) => `'${key}', ${expr}`);
  return `jsonb_build_object('value', ${state}, 'context', jsonb_build_object(${fields.join(", ")}))`;
}
