// "Did you mean …?": the nearest known name by Damerau-Levenshtein distance, offered only when close.

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of neighbours (optimal string
 * alignment), or `limit + 1` as soon as the answer is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const m = b.length;
  let prevPrev = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let row = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let best = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    // Every later row is at least this row's minimum, so the limit is already exceeded.
    if (best > limit) return limit + 1;
    [prevPrev, prev, row] = [prev, row, prevPrev];
  }
  return prev[m]!;
}

/** How many edits still count as a typo of `name`: one for short names, about a quarter of longer ones. */
export function typoLimit(name: string): number {
  return Math.max(1, Math.min(5, Math.floor(name.length / 4)));
}

/**
 * The candidate closest to `name`, or undefined when none is within typo distance. Ties go to the
 * alphabetically first candidate so the suggestion is stable.
 * @example nearest('analytcs.mau', ['analytics.mau', 'raw.x']) // 'analytics.mau'
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let limit = typoLimit(name);
  let found: string | undefined;
  let foundDistance = limit + 1;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === name) continue;
    // A difference of case only is the likeliest typo of all; weigh it as half an edit.
    const d = candidate.toLowerCase() === lower ? 0.5 : editDistance(name, candidate, limit);
    if (d < foundDistance || (d === foundDistance && found !== undefined && candidate < found)) {
      found = candidate;
      foundDistance = d;
      limit = Math.floor(d);
    }
  }
  return foundDistance <= typoLimit(name) ? found : undefined;
}

/** ` — did you mean "x"?` when there is a close candidate, else ''. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const guess = nearest(name, candidates);
  return guess === undefined ? '' : ` — did you mean "${guess}"?`;
}
