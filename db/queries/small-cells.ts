/**
 * Small-cell suppression for aggregate views (docs/decisions/0021, 0080). Pure: no I/O.
 *
 * A figure is *withheld* when fewer than SMALL_CELL practices contribute to it (a count, an
 * amount summed over practices, a median, a share). A figure no practice contributes to (a zero
 * count, an amount nobody has) says nothing about anyone and stays shown.
 */

/** Figures to which fewer practices than this contribute are withheld from aggregate viewers. */
export const SMALL_CELL = 5;

/** Primary suppression: 1 to SMALL_CELL - 1 contributors. */
export const isSmall = (contributors: number) => contributors > 0 && contributors < SMALL_CELL;

/**
 * Secondary suppression of one additive column whose total is published: returns which cells to
 * withhold. Besides every small cell, the smallest published cells are withheld until the withheld
 * cells together hold at least SMALL_CELL contributors, so that "total minus the cells shown"
 * gives only a figure of SMALL_CELL or more practices (one withheld cell alone, or two withheld
 * cells of 1 and 2, would otherwise be recomputed exactly). With the total withheld, only the
 * small cells are.
 */
export function withheldCells(contributors: readonly number[], totalPublished: boolean): boolean[] {
  const out = contributors.map(isSmall);
  if (!totalPublished) return out;
  const held = () => contributors.reduce((s, c, i) => s + (out[i] ? c : 0), 0);
  while (held() > 0 && held() < SMALL_CELL) {
    let pick = -1;
    for (const [i, c] of contributors.entries()) if (!out[i] && c > 0 && (pick < 0 || c < contributors[pick]!)) pick = i;
    // No cell left to hide: the total itself has under SMALL_CELL contributors, and callers withhold it.
    if (pick < 0) break;
    out[pick] = true;
  }
  return out;
}
