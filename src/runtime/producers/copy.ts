// The `copy` producer: a table to a CSV file, or a CSV file into a table, atomic on the receiving side.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NonRetriableError } from '../../definitions/errors.js';
import { type CsvField, parseCsv } from '../../resources/warehouse/csv.js';
import { displayName, parseTableName, qualifiedName, unquotedName } from '../../resources/warehouse/quote.js';
import { replaceTableWithRows } from '../../resources/warehouse/seed.js';
import { placeholder } from '../../resources/warehouse/sql.js';
import type { TableName, Warehouse } from '../../resources/warehouse/types.js';
import { csvLine, writeFileAtomically } from './csv-file.js';
import { projectRoot } from './root.js';
import type { ProducerOutcome, ProducerRunner } from './types.js';

/** Column names of `table` in order, for the header of a file whose table has no rows. */
async function columnsOf(warehouse: Warehouse, table: TableName): Promise<string[]> {
  const p = (n: number) => placeholder(warehouse.dialect, n);
  const rows = await warehouse.query<{ column_name?: string; COLUMN_NAME?: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database()' +
      ` AND table_schema = coalesce(${p(1)}, current_schema()) AND table_name = ${p(2)} ORDER BY ordinal_position`,
    [table.schema ?? null, table.name],
  );
  return rows.map((r) => String(r.column_name ?? r.COLUMN_NAME));
}

async function tableToFile(warehouse: Warehouse, table: TableName, path: string, signal: AbortSignal): Promise<ProducerOutcome> {
  const rows = await warehouse.query(`SELECT * FROM ${qualifiedName(warehouse.dialect, table)}`);
  signal.throwIfAborted();
  const columns = rows.length > 0 ? Object.keys(rows[0] as object) : await columnsOf(warehouse, table);
  function* lines(): Generator<string> {
    yield csvLine(columns);
    for (const row of rows) yield csvLine(columns.map((c) => row[c]));
  }
  await writeFileAtomically(path, lines(), signal);
  return { rowCount: rows.length, metadata: { path, table: displayName(table) } };
}

function invalid(path: string, message: string): NonRetriableError {
  return new NonRetriableError(`copy from ${path}: ${message}`);
}

async function readRecords(path: string): Promise<{ header: string[]; rows: CsvField[][] }> {
  let records: CsvField[][];
  try {
    records = parseCsv(await readFile(path, 'utf8'));
  } catch (error) {
    // A missing file may be an upstream that has not written it yet: worth a retry, unlike a malformed one.
    if ((error as { code?: string }).code === 'ENOENT') throw error;
    throw invalid(path, (error as Error).message);
  }
  const [first, ...rows] = records;
  if (!first) throw invalid(path, 'the file is empty; the first line must name the columns');
  const header = first.map((cell, i) => {
    const name = cell?.trim() ?? '';
    if (name === '') throw invalid(path, `column ${i + 1} has no name in the header`);
    return name;
  });
  const ragged = rows.findIndex((r) => r.length !== header.length);
  if (ragged !== -1)
    throw invalid(path, `record ${ragged + 2} has ${rows[ragged]!.length} fields; the header has ${header.length}`);
  return { header, rows };
}

async function fileToTable(warehouse: Warehouse, table: TableName, path: string, signal: AbortSignal): Promise<ProducerOutcome> {
  const { header, rows } = await readRecords(path);
  const columns = header.map((name) => unquotedName(warehouse.dialect, name));
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined) throw invalid(path, `column "${duplicate}" appears twice in the header`);
  // Built aside and swapped in: readers see the old table until the load is complete, and an attempt that
  // timed out (it keeps running in the background) never publishes. An existing table keeps its types.
  await replaceTableWithRows(warehouse, table, columns, rows, { purpose: 'load', keepExistingTypes: true, signal });
  return { rowCount: rows.length, metadata: { path, table: displayName(table) } };
}

/**
 * Runs a `copy` producer on its warehouse resource. `table_to_file`: `SELECT *` from `table` into a CSV file
 * at `path` (header line first), written under a temporary name and renamed. `file_to_table`: the CSV's
 * columns (named by its header) loaded into a staging table — with the existing table's column types, or
 * inferred ones for a new table — then swapped in atomically. `table` and `path` take placeholders; a
 * relative path resolves against the project root. Reports the rows copied.
 * @example await runCopy({ type: 'copy', resource: 'dwh', direction: 'table_to_file', table: 'public.orders', path: 'out/orders_{{ ds_nodash }}.csv', format: 'csv' }, ctx);
 */
export const runCopy: ProducerRunner<'copy'> = async (spec, ctx) => {
  const warehouse = await ctx.resources.warehouse(spec.resource);
  const table = parseTableName(ctx.render(spec.table), warehouse.dialect);
  const path = resolve(projectRoot(ctx), ctx.render(spec.path));
  const outcome =
    spec.direction === 'table_to_file'
      ? await tableToFile(warehouse, table, path, ctx.signal)
      : await fileToTable(warehouse, table, path, ctx.signal);
  ctx.log.info(
    `copied ${outcome.rowCount} rows ${spec.direction === 'table_to_file' ? `from ${displayName(table)} to ${path}` : `from ${path} into ${displayName(table)}`}`,
  );
  return outcome;
};
