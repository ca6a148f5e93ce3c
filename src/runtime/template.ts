// `{{ name }}` placeholders in SQL, paths and commands, filled from the run and partition window.

import type { PartitionWindow } from '../definitions/context.js';
import { NonRetriableError } from '../definitions/errors.js';
import { PLACEHOLDER_PATTERN, type TemplateVariable } from '../definitions/templates.js';

/** What placeholders can be filled from. */
export interface TemplateScope {
  runId: string;
  partition: PartitionWindow | undefined;
  /** Used for `ds` when the step is not partitioned: the run's start, in ms since the epoch. */
  runStartedAt: number;
}

function variables(scope: TemplateScope): Record<TemplateVariable, string> {
  const start = scope.partition?.start ?? new Date(scope.runStartedAt);
  const ds = scope.partition ? scope.partition.key.slice(0, 10) : start.toISOString().slice(0, 10);
  const startIso = scope.partition ? scope.partition.start.toISOString() : '';
  const endIso = scope.partition ? scope.partition.end.toISOString() : '';
  return {
    ds,
    ds_nodash: ds.replaceAll('-', ''),
    run_id: scope.runId,
    partition_key: scope.partition?.key ?? '',
    partition_start: startIso,
    partition_end: endIso,
    // Airflow's names for the same window, so SQL copied from a DAG keeps working.
    data_interval_start: startIso,
    data_interval_end: endIso,
  };
}

/**
 * Fills `{{ ds }}`, `{{ ds_nodash }}`, `{{ run_id }}`, `{{ partition_key }}`, `{{ partition_start }}`,
 * `{{ partition_end }}` (ISO-8601), `{{ data_interval_start }}`, `{{ data_interval_end }}` and any
 * `extra` names. An unknown name fails the asset without retry rather than leaving `{{ x }}` in SQL.
 * @example renderTemplate("WHERE d = '{{ ds }}'", { runId: 'r', partition: undefined, runStartedAt: Date.parse('2025-01-10') }) // "WHERE d = '2025-01-10'"
 */
export function renderTemplate(text: string, scope: TemplateScope, extra: Readonly<Record<string, string>> = {}): string {
  if (!text.includes('{{')) return text;
  const vars: Readonly<Record<string, string>> = { ...variables(scope), ...extra };
  const unknown = new Set<string>();
  const out = text.replace(PLACEHOLDER_PATTERN, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) unknown.add(name);
    return value ?? whole;
  });
  if (unknown.size > 0) {
    throw new NonRetriableError(
      `unknown placeholder ${[...unknown].map((n) => `{{ ${n} }}`).join(', ')}; known: ${Object.keys(vars).join(', ')}`,
    );
  }
  return out;
}
