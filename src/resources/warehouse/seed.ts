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
  const columns = columnNames(warehouse, header, file);
  const types = columns.map((_, index) => inferColumnType(rows.map((row) => row[index] ?? null)));
  const aside: TableName = { schema: table.schema, name: scratchName('seed') };
  if (table.schema !== undefined) await warehouse.ensureSchema(table.schema);
  const target = qualifiedName(warehouse.dialect, aside);
  const columnList = columns.map((column) => quoteIdent(warehouse.dialect, column)).join(', ');
  try {
    const definitions = columns.map((column, index) => `${quoteIdent(warehouse.dialect, column)} ${types[index]}`);
    await warehouse.execute(`CREATE TABLE ${target} (${definitions.join(', ')})`);
    const perInsert = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / columns.length));
    for (let start = 0; start < rows.length; start += perInsert) {
      const batch = rows.slice(start, start + perInsert);
      const tuples = batch.map((_, row) => `(${valueList(warehouse, types, row * columns.length)})`);
      await warehouse.query(`INSERT INTO ${target} (${columnList}) VALUES ${tuples.join(', ')}`, batch.flat());
    }
    await warehouse.swap(table, aside);
  } catch (error) {
    await warehouse.dropTable(aside).catch(() => undefined);
    throw error;
  }
  return rows.length;
}

// Every value travels as text and is cast by the database, so no driver has to guess a parameter's type.
function valueList(warehouse: Warehouse, types: SeedColumnType[], offset: number): string {
  return types.map((type, column) => `CAST(${placeholder(warehouse.dialect, offset + column + 1)} AS ${type})`).join(', ');
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
