// A small RFC 4180 CSV reader and the column-type inference seeding needs; seed files are small, so no dependency.

/** One parsed field: its text, or null for an unquoted empty field (a quoted `""` stays an empty string). */
export type CsvField = string | null;

/**
 * Splits CSV text into records: commas, double-quoted fields with `""` escapes and embedded newlines,
 * CRLF or LF line ends, a leading BOM. Blank lines are skipped.
 * @example parseCsv('a,b\n1,"x,y"\n') // [['a', 'b'], ['1', 'x,y']]
 */
export function parseCsv(text: string): CsvField[][] {
  const records: CsvField[][] = [];
  let record: CsvField[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    record.push(field === '' && !quoted ? null : field);
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    // A blank line parses as one null field; it is not a record.
    if (record.length > 1 || record[0] !== null) records.push(record);
    record = [];
  };
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' && field === '' && !quoted) {
      quoted = true;
      const close = readQuoted(text, i + 1);
      field = close.value;
      i = close.next;
      continue;
    }
    if (char === ',') endField();
    else if (char === '\n') endRecord();
    else if (char === '\r' && text[i + 1] === '\n') {
      endRecord();
      i++;
    } else field += char;
    i++;
  }
  if (field !== '' || quoted || record.length > 0) endRecord();
  return records;
}

function readQuoted(text: string, start: number): { value: string; next: number } {
  let value = '';
  let i = start;
  for (;;) {
    if (i >= text.length) throw new SyntaxError('CSV: a quoted field is not closed');
    if (text[i] === '"') {
      if (text[i + 1] !== '"') return { value, next: i + 1 };
      i++;
    }
    value += text[i];
    i++;
  }
}

/** The column types seeding creates: spelled the same in DuckDB, PostgreSQL and Snowflake. */
export type SeedColumnType = 'INTEGER' | 'BIGINT' | 'DOUBLE PRECISION' | 'DATE' | 'TIMESTAMP' | 'VARCHAR';

const INTEGER = /^[+-]?(0|[1-9][0-9]*)$/;
const NUMBER = /^[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/;

/**
 * The narrowest type that holds every non-null value of a column. Integers with leading zeros (`007`,
 * zip codes) stay VARCHAR so nothing is lost; a column of only nulls is VARCHAR.
 * @example inferColumnType(['1', '2', null]) // 'INTEGER'
 */
export function inferColumnType(values: Iterable<CsvField>): SeedColumnType {
  const candidates = new Set<SeedColumnType>(['INTEGER', 'BIGINT', 'DOUBLE PRECISION', 'DATE', 'TIMESTAMP']);
  let seen = false;
  for (const value of values) {
    if (value === null) continue;
    seen = true;
    if (!INTEGER.test(value)) {
      candidates.delete('INTEGER');
      candidates.delete('BIGINT');
    } else {
      // Compared as bigint: the value reaches the database as text, so BIGINT holds all 64 bits exactly.
      const n = BigInt(value);
      if (n < -2_147_483_648n || n > 2_147_483_647n) candidates.delete('INTEGER');
      if (n < -9_223_372_036_854_775_808n || n > 9_223_372_036_854_775_807n) candidates.delete('BIGINT');
    }
    if (!NUMBER.test(value)) candidates.delete('DOUBLE PRECISION');
    if (!DATE.test(value)) candidates.delete('DATE');
    if (!TIMESTAMP.test(value)) candidates.delete('TIMESTAMP');
    if (candidates.size === 0) return 'VARCHAR';
  }
  if (!seen) return 'VARCHAR';
  // Set order is the preference order: INTEGER before BIGINT before DOUBLE PRECISION.
  return candidates.values().next().value ?? 'VARCHAR';
}
