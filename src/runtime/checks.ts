// Data-quality checks: evaluated against a table after (or, with staging, before) publishing.

import { checkNames } from '../definitions/check-names.js';
import type { CheckSpec } from '../definitions/schema.js';
import type { TableName, Warehouse } from '../resources/warehouse/types.js';
import { quoteTable, tableOf, tableText } from './table.js';

/** The outcome of one check. */
export interface CheckOutcome {
  name: string;
  passed: boolean;
  blocking: boolean;
  message: string;
  /** Set when the check could not be evaluated at all (the query failed). */
  error?: unknown;
}

export interface CheckInput {
  checks: readonly CheckSpec[];
  /** The table the checks look at: the asset's, or its staging table before the swap. */
  table: TableName;
  warehouse: Warehouse;
  /** Now, in ms since the epoch (the run's clock), for freshness. */
  now: number;
  /** Fills placeholders in SQL checks; `{{ table }}` is the checked table, quoted. */
  render: (sql: string, extra: Record<string, string>) => string;
}

/**
 * Evaluates every check in order (none stops the others) and says how each went. A check whose
 * query fails is reported as failed with the error attached, so the caller can retry by its kind.
 * @example const outcomes = await evaluateChecks({ checks: spec.checks, table: tableOf(spec.key), warehouse, now, render });
 */
export async function evaluateChecks(input: CheckInput): Promise<CheckOutcome[]> {
  const names = checkNames(input.checks);
  const out: CheckOutcome[] = [];
  for (const [i, check] of input.checks.entries()) {
    const name = names[i] as string;
    try {
      const { passed, message } = await evaluate(check, input);
      out.push({ name, passed, blocking: check.blocking, message });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      out.push({ name, passed: false, blocking: check.blocking, message: `could not evaluate: ${text}`, error });
    }
  }
  return out;
}

async function evaluate(check: CheckSpec, input: CheckInput): Promise<{ passed: boolean; message: string }> {
  const { warehouse, table } = input;
  switch (check.type) {
    case 'row_count': {
      const n = await warehouse.rowCount(table);
      const low = n < check.min;
      const high = check.max !== undefined && n > check.max;
      const range = check.max === undefined ? `at least ${check.min}` : `between ${check.min} and ${check.max}`;
      return { passed: !low && !high, message: `${n} row${n === 1 ? '' : 's'} in ${tableText(table)}, expected ${range}` };
    }
    case 'count_tolerance': {
      const other = tableOf(check.against, warehouse.dialect);
      const [n, m] = [await warehouse.rowCount(table), await warehouse.rowCount(other)];
      const off = m === 0 ? (n === 0 ? 0 : 100) : (Math.abs(n - m) / m) * 100;
      return {
        passed: off <= check.tolerancePercent,
        message: `${n} rows vs ${m} in ${check.against}: ${round(off)}% apart, tolerance ${check.tolerancePercent}%`,
      };
    }
    case 'freshness': {
      if (!check.column) {
        // The asset was just written, so it is as fresh as it can be; a source needs a column to judge.
        return { passed: true, message: 'no column given: freshness is the materialization time, which is now' };
      }
      const sql = `SELECT MAX(${warehouse.quoteIdent(check.column)}) AS latest FROM ${quoteTable(warehouse, table)}`;
      const rows = await warehouse.query<{ latest: unknown }>(sql);
      const latest = toMillis(rows[0]?.latest);
      if (latest === undefined) return { passed: false, message: `no ${check.column} value in ${tableText(table)}` };
      const age = input.now - latest;
      return {
        passed: age <= check.maxAge,
        message: `newest ${check.column} is ${formatAge(age)} old, allowed ${formatAge(check.maxAge)}`,
      };
    }
    case 'sql': {
      const sql = input.render(check.sql, { table: quoteTable(warehouse, table) });
      const rows = await warehouse.query(sql);
      const passed = check.expect === 'no_rows' ? rows.length === 0 : rows.length > 0;
      return {
        passed,
        message: `query returned ${rows.length} row${rows.length === 1 ? '' : 's'}, expected ${check.expect.replace('_', ' ')}`,
      };
    }
  }
}

/** Warehouse drivers return timestamps as Date, ISO text, epoch numbers or driver objects with toString. */
function toMillis(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'bigint') return Number(value);
  const text = String(value).trim();
  // A timestamp without a zone is taken as UTC, as warehouses store them.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? `${text}T00:00:00Z`
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text)
      ? text
      : `${text.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function formatAge(ms: number): string {
  if (Math.abs(ms) >= 3_600_000) return `${round(ms / 3_600_000)}h`;
  if (Math.abs(ms) >= 60_000) return `${round(ms / 60_000)}m`;
  return `${round(ms / 1000)}s`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
