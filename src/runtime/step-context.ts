// Building the context one attempt of a step runs with: logger, upstream values, checks, sensor ticks.

import type { ProducerLogger } from '../definitions/context.js';
import { SluiceError } from '../definitions/errors.js';
import type { PartitionsSpec } from '../definitions/schema.js';
import type { TableName, Warehouse } from '../resources/warehouse/types.js';
import { evaluateChecks } from './checks.js';
import { CheckFailedError } from './errors.js';
import type { StepContext } from './producers/types.js';
import type { RunContext, StepInfo } from './run-context.js';
import { tableOf, tableText } from './table.js';
import { renderTemplate } from './template.js';

function logger(rc: RunContext, s: StepInfo): ProducerLogger {
  const line = (level: 'info' | 'warn' | 'error') => (message: string) =>
    rc.sink.log({ assetKey: s.step.key, partition: s.step.partition ?? '', level, stream: 'user', message: String(message) });
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** Upstream values by asset key; partitioned upstream steps are also there by step id ('key@partition'). */
function upstreamValues(rc: RunContext, s: StepInfo): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const u of s.upstream) {
    const up = rc.steps[u] as StepInfo;
    if (up.value === undefined) continue;
    values[up.step.key] = up.value;
    if (up.step.id !== up.step.key) values[up.step.id] = up.value;
  }
  return values;
}

/** Evaluates the asset's checks on `table`, records them, and throws when a blocking one failed. */
async function verify(rc: RunContext, s: StepInfo, attempt: number, table: TableName, warehouse: Warehouse): Promise<void> {
  const checks = s.asset.spec.checks;
  if (checks.length === 0) return;
  const render = (sql: string, extra: Record<string, string>) =>
    renderTemplate(sql, { runId: rc.runId, partition: s.window, runStartedAt: rc.runStartedAt }, extra);
  const outcomes = await evaluateChecks({ checks, table, warehouse, now: rc.clock.now(), render });
  const partition = s.step.partition ?? '';
  // The store files each check_evaluated event (name, passed, blocking, message) as a check result too.
  for (const o of outcomes) {
    rc.sink.emit({
      type: 'check_evaluated',
      assetKey: s.step.key,
      partition,
      attempt,
      message: o.message,
      data: { name: o.name, passed: o.passed, blocking: o.blocking, table: tableText(table) },
    });
  }
  const failed = outcomes.filter((o) => o.blocking && !o.passed);
  const broken = failed.find((o) => o.error !== undefined);
  // A check whose query failed is retried by that error's kind (a network blip), not as 'validation'.
  if (broken) throw new SluiceError(`check ${broken.name} ${broken.message}`, { cause: broken.error });
  if (failed.length > 0)
    throw new CheckFailedError(
      s.step.key,
      failed.map((o) => `${o.name}: ${o.message}`),
    );
}

const runPartitionSets = new WeakMap<RunContext, StepContext['runPartitions']>();

/** The run's partition keys and their set, found once per run (a scan of its steps). */
function runPartitions(rc: RunContext): StepContext['runPartitions'] {
  let found = runPartitionSets.get(rc);
  if (!found) {
    let spec: PartitionsSpec | undefined;
    if (rc.partitions.length > 0) spec = rc.steps.find((x) => x.asset.spec.partitions)?.asset.spec.partitions;
    found = { keys: rc.partitions, spec };
    runPartitionSets.set(rc, found);
  }
  return found;
}

/**
 * The context of attempt `attempt` of step `s`, around the attempt's signal.
 * @example const ctx = stepContext(rc, s, 1, rc.runSignal);
 */
export function stepContext(rc: RunContext, s: StepInfo, attempt: number, signal: AbortSignal): StepContext {
  const partition = s.step.partition ?? '';
  return {
    asset: s.asset.spec,
    run: s.asset.run,
    step: s.step,
    runId: rc.runId,
    attempt,
    partition: s.window,
    signal,
    log: logger(rc, s),
    upstream: upstreamValues(rc, s),
    resources: rc.resources,
    clock: rc.clock,
    table: (dialect) => tableOf(s.step.key, dialect),
    render: (text, extra) => renderTemplate(text, { runId: rc.runId, partition: s.window, runStartedAt: rc.runStartedAt }, extra),
    verify: (table, warehouse) => verify(rc, s, attempt, table, warehouse),
    tick: (poke, satisfied, message) =>
      rc.sink.emit({
        type: 'sensor_tick',
        assetKey: s.step.key,
        partition,
        attempt,
        message: message ?? (satisfied ? `poke ${poke}: condition holds` : `poke ${poke}: not yet`),
        data: { poke, satisfied },
      }),
    store: rc.store,
    get runPartitions() {
      return runPartitions(rc);
    },
  };
}
