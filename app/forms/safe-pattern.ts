/**
 * Whether a `validate.pattern` may run on the server (docs/decisions/0116). JavaScript's regex
 * engine backtracks, so a pattern like `(a+)+$` can take exponential time on a short input: one
 * post could hold a core. The constructions that cause it are refused at import and in the
 * editor alike; what remains is at worst polynomial, and runs only on text within the field's
 * length limit (validate.ts). Pure, no I/O.
 */

export const MAX_PATTERN_LENGTH = 200;
/** `*`, `+`, `{n,}`: each one more degree of backtracking on a failing input. */
export const MAX_UNBOUNDED_QUANTIFIERS = 3;

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
  let unbounded = 0;
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
      if (q.unbounded) unbounded++;
      if (q.variable && (atom.variable || atom.alternation))
        return "«pattern» ripete un gruppo che contiene a sua volta ripetizioni o alternative (come «(a+)+» o «(a|b)*»): può bloccare il server, va riscritto senza annidarle";
      i += q.length + (pattern[i + 1 + q.length] === "?" ? 1 : 0);
    }
    top().variable ||= atom.variable || !!q?.variable;
    top().alternation ||= atom.alternation;
  }
  if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) return `«pattern» ha troppe ripetizioni illimitate (*, +, {n,}): al massimo ${MAX_UNBOUNDED_QUANTIFIERS}`;
  return null;
}

/** The quantifier at `i`: `variable` when it repeats a varying number of times, `unbounded` without an upper limit. */
function quantifierAt(p: string, i: number): { length: number; variable: boolean; unbounded: boolean } | null {
  const ch = p[i];
  if (ch === "*" || ch === "+") return { length: 1, variable: true, unbounded: true };
  if (ch === "?") return { length: 1, variable: true, unbounded: false };
  if (ch !== "{") return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return null;
  const unbounded = m[2] !== undefined && m[3] === "";
  const variable = m[2] !== undefined && m[3] !== m[1];
  return { length: m[0].length, variable, unbounded };
}
