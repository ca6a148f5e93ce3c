// Durations as users write them ('60s', '5m', 90) turned into whole milliseconds, the unit specs store.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/** A duration: a number of seconds, or a string with a unit: `'500ms'`, `'60s'`, `'5m'`, `'2h'`, `'1d'`. */
export type DurationInput = number | string;

/**
 * Parses a duration into milliseconds; returns an error text instead of throwing so zod can report it
 * on the right field. Numbers are seconds, because that is what Airflow, Prefect and Dagster users write.
 * @example parseDuration('5m') // { ms: 300000 }
 */
export function parseDuration(input: DurationInput): { ms: number } | { error: string } {
  let ms: number;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { error: 'must be a finite number of seconds' };
    ms = input * 1000;
  } else {
    const m = PATTERN.exec(input);
    if (!m) return { error: `"${input}" is not a duration; write e.g. "500ms", "60s", "5m", "2h", "1d" or a number of seconds` };
    ms = Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  if (ms < 0) return { error: 'must not be negative' };
  return { ms: Math.round(ms) };
}

/** Formats milliseconds the way a person reads them: 60000 → '60s', 5400000 → '90m'. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms >= 3_600_000) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms >= 60_000 && ms < 3_600_000 * 2) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
