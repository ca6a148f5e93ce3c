// Snowflake result rows made plain like the other adapters': exact numbers, ISO instants, 'YYYY-MM-DD' dates, lower-case names.

import { plainDecimal, plainDeep, plainInstant, plainInteger } from './values.js';

/** The part of the driver's column metadata the conversion needs. */
export interface ResultColumn {
  getName(): string;
  getType(): string;
  getScale(): number;
}

/**
 * Turns array-mode rows (numbers fetched as their exact text) into objects keyed by column name. NUMBER with
 * scale 0 becomes a number when exact, else its decimal text; other NUMBERs a number when a double holds them;
 * DATE 'YYYY-MM-DD'; TIMESTAMP_* an ISO-8601 UTC instant (NTZ read as UTC); VARIANT/OBJECT/ARRAY parsed JSON.
 * @example plainRows([{ getName: () => 'N', getType: () => 'fixed', getScale: () => 0 }], [['42']]) // [{ n: 42 }]
 */
export function plainRows(columns: readonly ResultColumn[], rows: readonly unknown[][]): Record<string, unknown>[] {
  const converters = columns.map(converterFor);
  const names = columns.map((column) => plainColumnName(column.getName()));
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    names.forEach((name, index) => {
      const value = row[index];
      out[name] = value === null || value === undefined ? null : converters[index]!(value);
    });
    return out;
  });
}

/**
 * Snowflake stores unquoted names in upper case, so `SELECT 1 AS n` answers a column `N`. Names that are all
 * upper case are given back in lower case (as snowflake-sqlalchemy does), so one producer reads `row.n` on every
 * dialect; names with any lower-case letter were quoted on purpose and are kept.
 * @example plainColumnName('MAU') // 'mau'
 */
export function plainColumnName(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name.toLowerCase() : name;
}

function converterFor(column: ResultColumn): (value: unknown) => unknown {
  switch (column.getType().toLowerCase()) {
    case 'fixed':
      return column.getScale() === 0 ? (value) => plainInteger(String(value)) : (value) => plainDecimal(String(value));
    case 'real':
      return (value) => plainReal(String(value));
    case 'date':
      return (value) =>
        value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : String(value);
    case 'timestamp_ntz':
    case 'timestamp_ltz':
    case 'timestamp_tz':
      return (value) => (value instanceof Date ? plainInstant(value) : String(value));
    default:
      return plainDeep;
  }
}

function plainReal(text: string): number | string {
  if (/^-?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  const n = Number(text);
  return Number.isNaN(n) && !/^nan$/i.test(text) ? text : n;
}
