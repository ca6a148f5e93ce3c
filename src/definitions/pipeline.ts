// pipeline(): a named selection with a schedule, tags and failure notifications.

import { DEFINITION } from './asset.js';
import type { DurationInput } from './duration.js';
import { DefinitionError } from './errors.js';
import {
  type NotificationInput,
  type PipelineSensorInput,
  type PipelineSpec,
  pipelineSpec,
  type RetryPolicyInput,
  type ScheduleInput,
} from './schema.js';
import { deepFreeze, parseSpec } from './validate.js';

export interface PipelineDefinition {
  readonly [DEFINITION]: 'pipeline';
  readonly name: string;
  readonly spec: PipelineSpec;
}

export interface PipelineOptions {
  /** Which assets belong to the pipeline, in the selection grammar: '+analytics.mau_summary', 'tag:elt'. */
  select: string;
  description?: string;
  schedule?: ScheduleInput;
  tags?: string[];
  owner?: string;
  /** Default retry policy for assets that have none. */
  retry?: RetryPolicyInput;
  /** Default timeout for assets that have none. */
  timeout?: DurationInput;
  onFailure?: NotificationInput[];
  /**
   * Triggers the daemon evaluates: each time one holds on something new (a new materialization, a new
   * succeeded run, a file changed, a new row) it launches a run. Independent of `schedule`.
   */
  sensors?: PipelineSensorInput[];
}

/**
 * Declares a pipeline: one Airflow DAG, one Prefect flow, one Dagster job.
 * @example
 * export default pipeline('run_elt_alert', {
 *   select: '+analytics.mau_summary',
 *   schedule: { cron: '@daily', start: '2025-01-10', catchup: false },
 *   onFailure: [slack({ channel: '#data-alerts' })],
 * });
 */
export function pipeline(name: string, options: PipelineOptions): PipelineDefinition {
  if (!options || typeof options !== 'object') {
    throw new DefinitionError('needs an options object with a `select` field', { pipeline: String(name) });
  }
  let spec: PipelineSpec;
  try {
    spec = parseSpec(pipelineSpec, { name, ...options });
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    throw new DefinitionError(error.detail, { pipeline: String(name), field: error.field });
  }
  return deepFreeze({ [DEFINITION]: 'pipeline' as const, name: spec.name, spec });
}

export function isPipelineDefinition(value: unknown): value is PipelineDefinition {
  return typeof value === 'object' && value !== null && (value as PipelineDefinition)[DEFINITION] === 'pipeline';
}
