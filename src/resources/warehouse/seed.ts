// Loads `<schema>.<table>.csv` files into warehouse tables so a fresh machine can run the example pipelines.

import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type CsvField, inferColumnType, parseCsv, type SeedColumnType } from './csv.js';
import { WarehouseError } from './errors.js';
import { parseTableName, qualifiedName, quoteIdent, unquotedName } from './quote.js';
import { placeholder, scratchName } from './sql.js';
import type { TableName, Warehouse } from './types.js';

export interface SeedOptions {
  /** Leave tables that already exist alone (the default); `false` rebuilds them from the files. */
  onlyIfMissing?: boolean;
}

/** What seeding did with one file; `rows` is the table's row count afterwards. */
export interface SeededTable {
  file: string;
  table: TableName;
  rows: number;
  created: boolean;
}

// Keeps each INSERT well under every driver's parameter limit (PostgreSQL: 65,535).
const PARAMETERS_PER_INSERT = 1_000;

/**
 * Creates one table per `<schema>.<table>.csv` in `dir`, in file-name order. Column types are inferred
 * (INTEGER, BIGINT, DOUBLE PRECISION, DATE, TIMESTAMP, else VARCHAR); unquoted empty fields are NULL. Each
 * table is built under a scratch name and swapped in, so a failure never leaves a half-loaded table.
 * @example await seedTablesFromCsv(warehouse, 'assets/data'); // raw_data.session_timestamp, …
 */
export async function seedTablesFromCsv(warehouse: Warehouse, dir: string, options: SeedOptions = {}): Promise<SeededTable[]> {
  const onlyIfMissing = options.onlyIfMissing ?? true;
  const files = (await readdir(dir)).filter((file) => file.endsWith('.csv')).sort();
  const seeded: SeededTable[] = [];
  for (const file of files) {
    const table = parseTableName(basename(file, '.csv'), warehouse.dialect);
    if (onlyIfMissing && (await warehouse.tableExists(table))) {
      seeded.push({ file, table, rows: await warehouse.rowCount(table), created: false });
      continue;
    }
    const records = parseCsvFile(await readFile(join(dir, file), 'utf8'), file);
    const rows = await loadTable(warehouse, table, records, file);
    seeded.push({ file, table, rows, created: true });
  }
  return seeded;
}

async function loadTable(warehouse: Warehouse, table: TableName, records: CsvField[][], file: string): Promise<number> {
  const [header = [], ...rows] = records;
  await replaceTableWithRows(warehouse, table, columnNames(warehouse, header, file), rows, { purpose: 'seed' });
  return rows.length;
}

export interface ReplaceTableOptions {
  /** Names the scratch table the rows are loaded into before the swap. */
  purpose: 'seed' | 'load';
  /** Give an existing table's column types to the new contents (cast by the database) instead of inferred ones. */
  keepExistingTypes?: boolean;
  /** Checked between batches and before the swap: an abandoned load must not publish. */
  signal?: AbortSignal;
}

/**
 * Replaces `table`'s contents with `rows` atomically: they are inserted into a scratch table, in batches
 * under every driver's parameter limit, which is then swapped in; on any failure the scratch table is
 * dropped and `table` is untouched. Columns get types inferred from the rows, or with `keepExistingTypes`
 * those of the existing table.
 * @example await replaceTableWithRows(warehouse, { schema: 'raw', name: 'orders' }, ['id', 'amount'], [['1', '9.5']], { purpose: 'load' });
 */
export async function replaceTableWithRows(
  warehouse: Warehouse,
  table: TableName,
  columns: readonly string[],
  rows: readonly CsvField[][],
  options: ReplaceTableOptions,
): Promise<void> {
  const { dialect } = warehouse;
  if (table.schema !== undefined) await warehouse.ensureSchema(table.schema);
  const aside: TableName = { schema: table.schema, name: scratchName(options.purpose) };
  const target = qualifiedName(dialect, aside);
  const keep = options.keepExistingTypes === true && (await warehouse.tableExists(table));
  // Kept columns take the values as the database casts them; new ones are cast to the inferred type.
  const types: (SeedColumnType | undefined)[] = keep
    ? columns.map(() => undefined)
    : columns.map((_, index) => inferColumnType(rows.map((row) => row[index] ?? null)));
  const columnList = columns.map((column) => quoteIdent(dialect, column)).join(', ');
  try {
    if (keep)
      await warehouse.execute(
        `CREATE TABLE ${target} AS SELECT * FROM ${qualifiedName(dialect, table)} WHERE 1 = 0`,
        options.signal,
      );
    else {
      const definitions = columns.map((column, index) => `${quoteIdent(dialect, column)} ${types[index]}`);
      await warehouse.execute(`CREATE TABLE ${target} (${definitions.join(', ')})`, options.signal);
    }
    const perInsert = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / columns.length));
    for (let start = 0; start < rows.length; start += perInsert) {
      options.signal?.throwIfAborted();
      const batch = rows.slice(start, start + perInsert);
      const tuples = batch.map((_, row) => `(${valueList(dialect, types, row * columns.length)})`);
      await warehouse.query(`INSERT INTO ${target} (${columnList}) VALUES ${tuples.join(', ')}`, batch.flat());
    }
    options.signal?.throwIfAborted();
    await warehouse.swap(table, aside);
  } catch (error) {
    await warehouse.dropTable(aside).catch(() => undefined);
    throw error;
  }
}

// Every value travels as text and is cast by the database, so no driver has to guess a parameter's type.
function valueList(dialect: Warehouse['dialect'], types: readonly (SeedColumnType | undefined)[], offset: number): string {
  return types
    .map((type, column) => {
      const p = placeholder(dialect, offset + column + 1);
      return type === undefined ? p : `CAST(${p} AS ${type})`;
    })
    .join(', ');
}

function columnNames(warehouse: Warehouse, header: CsvField[], file: string): string[] {
  const names = header.map((cell, index) => {
    const name = cell?.trim() ?? '';
    if (name === '') throw invalid(file, `column ${index + 1} has no name in the header`);
    // Folded like an unquoted SQL name, so `SELECT userid …` finds a column headed `userid` on every dialect.
    return unquotedName(warehouse.dialect, name);
  });
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw invalid(file, `column ${JSON.stringify(duplicate)} appears twice in the header`);
  if (names.length === 0) throw invalid(file, 'the file is empty; the first line must name the columns');
  return names;
}

function parseCsvFile(text: string, file: string): CsvField[][] {
  let records: CsvField[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    throw invalid(file, (error as Error).message);
  }
  const width = records[0]?.length ?? 0;
  const ragged = records.findIndex((record) => record.length !== width);
  if (ragged !== -1) throw invalid(file, `record ${ragged + 1} has ${records[ragged]!.length} fields; the header has ${width}`);
  return records;
}

function invalid(file: string, message: string): WarehouseError {
  return new WarehouseError(`seed ${file}: ${message}`, { kind: 'sql', code: 'INVALID_CSV' });
}
