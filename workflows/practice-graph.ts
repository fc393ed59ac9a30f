import { PRACTICE_STATES, practiceMachine, type PracticeState } from "./practice.machine";

/** Direct moves, read off the machine definition itself. */
export function directMoves(): Map<PracticeState, PracticeState[]> {
  const graph = new Map<PracticeState, PracticeState[]>();
  for (const state of PRACTICE_STATES) {
    const node = practiceMachine.root.states[state]!;
    const targets = [...node.transitions.values()]
      .flat()
      .flatMap((t) => t.target ?? [])
      .map((n) => n.key as PracticeState);
    graph.set(state, [...new Set(targets)]);
  }
  return graph;
}

/** Shortest chain of direct moves from one state to another, or null if unreachable. */
export function pathBetween(from: PracticeState, to: PracticeState): PracticeState[] | null {
  const graph = directMoves();
  const previous = new Map<PracticeState, PracticeState>();
  const queue: PracticeState[] = [from];
  const seen = new Set<PracticeState>([from]);
  while (queue.length) {
    const current = queue.shift()!;
    for (const next of graph.get(current) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      previous.set(next, current);
      if (next === to) {
        const path: PracticeState[] = [to];
        while (path[0] !== from) path.unshift(previous.get(path[0]!)!);
        return path.slice(1);
      }
      queue.push(next);
    }
  }
  return null;
}

/** Every (from, to) pair reachable in one or more steps: the bulk path joins against this. */
export function reachablePairs(): [PracticeState, PracticeState][] {
  const pairs: [PracticeState, PracticeState][] = [];
  for (const from of PRACTICE_STATES)
    for (const to of PRACTICE_STATES) if (from !== to && pathBetween(from, to)) pairs.push([from, to]);
  return pairs;
}
