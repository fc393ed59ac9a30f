/**
 * Whether a `validate.pattern` may run on the server (docs/decisions/0116). JavaScript's regex
 * engine backtracks, so a pattern like `(a+)+$` takes exponential time on a short input, and
 * `a*a*a*b` cubic time on a long one: one post could hold a core. Both the import and the editor
 * refuse nested or alternated repetition, back-references and lookaround, and patterns whose
 * repetitions could multiply past a budget on the longest text a pattern may check
 * (MAX_PATTERN_TEXT, enforced by the parser with the field's maxLength). Pure, no I/O.
 */

export const MAX_PATTERN_LENGTH = 200;
/** The longest text a pattern is run on: a field with a pattern has maxLength at most this. */
export const MAX_PATTERN_TEXT = 1000;
/**
 * Backtracking budget: the product, over the pattern's variable repetitions, of the ways each
 * can match (`*`, `+`, `{n,}`: MAX_PATTERN_TEXT; `{n,m}`: m−n+1; `?`: 2). 10^7 is two unbounded
 * repetitions times ten: `a*a*a{0,9}b` took about 0.1 s on 1000 characters here (ADR 116).
 */
export const MAX_BACKTRACKING = 10_000_000;

type Group = { variable: boolean; alternation: boolean };

/** The Italian reason a pattern is refused, or null when it is valid and safe. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `«pattern» troppo lungo (al massimo ${MAX_PATTERN_LENGTH} caratteri)`;
  try {
    new RegExp(`^(?:${pattern})$`, "u");
  } catch {
    return "«pattern» non è un'espressione regolare valida";
  }
  if (/\\[1-9]|\\k</.test(pattern)) return "«pattern» non ammette riferimenti all'indietro (\\1, \\k<…>)";
  if (/\(\?<?[=!]/.test(pattern)) return "«pattern» non ammette lookahead o lookbehind";
  // A stack of open groups: whether each holds a variable quantifier or an alternation.
  const stack: Group[] = [{ variable: false, alternation: false }];
  const top = () => stack[stack.length - 1]!;
  let cost = 1;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    let atom: Group = { variable: false, alternation: false };
    if (ch === "\\") i++;
    else if (ch === "[") {
      // A class is one character: skip to its closing bracket, escapes included.
      for (i++; i < pattern.length && pattern[i] !== "]"; i++) if (pattern[i] === "\\") i++;
    } else if (ch === "(") {
      stack.push({ variable: false, alternation: false });
      if (pattern[i + 1] === "?") i = pattern[i + 2] === "<" ? pattern.indexOf(">", i) : i + 2;
      continue;
    } else if (ch === ")") atom = stack.length > 1 ? stack.pop()! : atom;
    else if (ch === "|") {
      top().alternation = true;
      continue;
    }
    const q = quantifierAt(pattern, i + 1);
    if (q) {
      cost *= q.ways;
      if (q.variable && (atom.variable || atom.alternation))
        return "«pattern» ripete un gruppo che contiene a sua volta ripetizioni o alternative (come «(a+)+» o «(a|b)*»): può bloccare il server, va riscritto senza annidarle";
      i += q.length + (pattern[i + 1 + q.length] === "?" ? 1 : 0);
    }
    top().variable ||= atom.variable || !!q?.variable;
    top().alternation ||= atom.alternation;
  }
  if (cost > MAX_BACKTRACKING) return "«pattern» ha troppe ripetizioni variabili (*, +, ?, {n,m}) che possono sovrapporsi: verificarlo potrebbe bloccare il server, va semplificato";
  return null;
}

/** The quantifier at `i`: `variable` when it repeats a varying number of times, `ways` the counts it can take. */
function quantifierAt(p: string, i: number): { length: number; variable: boolean; ways: number } | null {
  const ch = p[i];
  if (ch === "*" || ch === "+") return { length: 1, variable: true, ways: MAX_PATTERN_TEXT };
  if (ch === "?") return { length: 1, variable: true, ways: 2 };
  if (ch !== "{") return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return null;
  const [min, max] = [Number(m[1]), m[2] === undefined ? Number(m[1]) : m[3] === "" ? Infinity : Number(m[3])];
  return { length: m[0].length, variable: max !== min, ways: Math.min(max - min + 1, MAX_PATTERN_TEXT) };
}
