// Python for filling sluice placeholders at run time (Prefect, Dagster): the values and the partition window.

import type { PartitionsSpec } from '../definitions/index.js';
import { pyStr } from './python.js';
import { hasPlaceholder } from './text.js';
import type { TargetName } from './types.js';

/** Tracks whether a body reads `values` (the filled placeholders), so the body computes them once. */
export interface FillUse {
  values: boolean;
}

/**
 * A Python expression for `text`: the literal itself, or `_fill(literal, values)` when it holds placeholders, which
 * the generated `_fill` replaces exactly as sluice's runtime does (same pattern, same names).
 * @example textExpr('dump {{ ds }}', use, 'prefect', 'a.b') // '_fill("dump {{ ds }}", values)'
 */
export function textExpr(text: string, use: FillUse, target: TargetName, assetKey: string | undefined): string {
  if (!hasPlaceholder(text, target, assetKey)) return pyStr(text);
  use.values = true;
  return `_fill(${pyStr(text)}, values)`;
}

/**
 * A SQL constant's name as used at run time: filled statement by statement when it holds placeholders.
 * @example sqlExpr('A_SQL', 'SELECT {{ ds }}', use, 'dagster', 'a') // '_fill(A_SQL, values)'
 */
export function sqlExpr(
  name: string,
  sql: string | readonly string[],
  use: FillUse,
  target: TargetName,
  assetKey: string | undefined,
): string {
  if (!needsFill(typeof sql === 'string' ? [sql] : sql, target, assetKey)) return name;
  use.values = true;
  return typeof sql === 'string' ? `_fill(${name}, values)` : `[_fill(statement, values) for statement in ${name}]`;
}

/** Whether any of the statements needs filling. */
export function needsFill(statements: readonly string[], target: TargetName, assetKey: string | undefined): boolean {
  return statements.some((s) => hasPlaceholder(s, target, assetKey));
}

const START_FORMAT = { hourly: '"%Y-%m-%d-%H:%M"', daily: '"%Y-%m-%d"', weekly: '"%Y-%m-%d"', monthly: '"%Y-%m-%d"' };
const NEXT = {
  hourly: 'start + timedelta(hours=1)',
  daily: 'start + timedelta(days=1)',
  weekly: 'start + timedelta(days=7)',
  monthly: '(start.replace(day=28) + timedelta(days=4)).replace(day=1)',
};

/** Body lines of `_window(key)`: the partition's start and end as ISO-8601 UTC instants with milliseconds. */
export function windowLines(p: PartitionsSpec): string[] {
  return [
    `start = datetime.strptime(key, ${START_FORMAT[p.granularity]}).replace(tzinfo=ZoneInfo(${pyStr(p.timezone)}))`,
    `end = ${NEXT[p.granularity]}`,
    'return tuple(moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z") for moment in (start, end))',
  ];
}

/**
 * Body lines of `_placeholders(key, run_id)`: sluice's values for one run. `key` is the partition key, or the run's
 * date (YYYY-MM-DD) when unpartitioned, where sluice leaves the partition and window placeholders empty.
 */
export function placeholderLines(p: PartitionsSpec | undefined): string[] {
  const window = p ? ['start, end = _window(key)'] : ['start = end = ""'];
  return [
    ...window,
    'ds = key[:10]',
    'return {',
    '    "ds": ds,',
    '    "ds_nodash": ds.replace("-", ""),',
    '    "run_id": run_id,',
    `    "partition_key": ${p ? 'key' : '""'},`,
    '    "partition_start": start,',
    '    "partition_end": end,',
    '    "data_interval_start": start,',
    '    "data_interval_end": end,',
    '}',
  ];
}
