// Driver values made plain and alike across dialects: exact numbers, ISO-8601 instants, 'YYYY-MM-DD' dates.

/**
 * A 64-bit (or wider) integer as a number when it fits exactly, else its decimal string — never a bigint,
 * so results survive JSON.stringify into run storage.
 * @example plainInteger(42n) // 42
 */
export function plainInteger(value: bigint | string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : String(value);
}

/**
 * A decimal as a number when a double holds it exactly (at most 15 significant digits), else its text.
 * @example plainDecimal('1.50') // 1.5
 */
export function plainDecimal(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  const digits = text.replace(/[^0-9]/g, '').replace(/^0+/, '');
  return digits.length <= 15 ? n : text;
}

/**
 * An instant as ISO-8601 UTC with milliseconds (`2025-01-31T23:59:59.000Z`); timestamps without a zone are
 * read as UTC so the text never depends on the machine's time zone.
 * @example plainInstant(new Date(0)) // '1970-01-01T00:00:00.000Z'
 */
export function plainInstant(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * PostgreSQL's text form of `timestamp` / `timestamptz` as ISO-8601 UTC; `infinity`, BC and out-of-range
 * values keep the server's text.
 * @example plainPgTimestamp('2025-01-01 00:00:00+02') // '2024-12-31T22:00:00.000Z'
 */
export function plainPgTimestamp(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})?(?::?(\d{2}))?(?::\d{2})?$/.exec(text);
  if (!match) return text;
  const [, day, time, offsetHours, offsetMinutes] = match;
  const zone = offsetHours === undefined ? 'Z' : `${offsetHours}:${offsetMinutes ?? '00'}`;
  const date = new Date(`${day}T${time}${zone}`);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/** Nested values (lists, structs, intervals) with every bigint and Date inside made plain too. */
export function plainDeep(value: unknown): unknown {
  if (typeof value === 'bigint') return plainInteger(value);
  if (value instanceof Date) return plainInstant(value);
  if (Array.isArray(value)) return value.map(plainDeep);
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainDeep(inner)]));
}
