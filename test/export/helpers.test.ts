// The Python helpers Prefect and Dagster modules carry compute what sluice computes: partition windows, the newest
// complete partition, shifted partitions, and placeholder values (checked against sluice's own functions).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  asset,
  type PartitionsInput,
  type PartitionsSpec,
  pipeline,
  sensors,
  shell,
  sourceAsset,
} from '../../src/definitions/index.js';
import { partitionKeys, partitionWindow } from '../../src/definitions/partitions.js';
import { exportPipeline } from '../../src/export/index.js';
import { renderTemplate } from '../../src/runtime/template.js';
import { toInput } from './fixtures.js';
import { writeAll } from './python-tools.js';

const RUNNER = fileURLToPath(new URL('./run_helpers.py', import.meta.url));
const ALL =
  '{{ds}}|{{ ds_nodash }}|{{run_id}}|{{partition_key}}|{{partition_start}}|{{ partition_end }}|{{data_interval_start}}|{{data_interval_end}}|{{ x.y }}{% raw %}';

function moduleWith(target: 'prefect' | 'dagster', partitions: PartitionsInput | undefined): string {
  // A sensor with an offset brings in _shift_partition; Dagster sensors need partitions, so only with them.
  const sensor = partitions ? sensors.externalRun({ pipeline: 'l1', partitionOffset: -1 }) : undefined;
  const upstream = sourceAsset('l1.load', sensor ? { sensor } : {});
  const made = asset('files.dump', { deps: [upstream], produce: shell({ command: `echo '${ALL}'` }), partitions });
  const input = toInput(pipeline('helpers', { select: '+files.dump' }), [upstream, made]);
  return writeAll(exportPipeline(target, input), `helpers-${target}`)[0] as string;
}

function run(path: string, calls: unknown[][]): unknown[] {
  return JSON.parse(execFileSync('python3', [RUNNER, path], { input: JSON.stringify(calls), encoding: 'utf8' })) as unknown[];
}

const SPECS: PartitionsSpec[] = [
  { type: 'time', granularity: 'hourly', start: '2025-03-29', timezone: 'Europe/Berlin', endOffset: 0 },
  { type: 'time', granularity: 'daily', start: '2025-03-01', timezone: 'Europe/Berlin', endOffset: 0 },
  { type: 'time', granularity: 'weekly', start: '2025-01-05', timezone: 'UTC', endOffset: 0 },
  { type: 'time', granularity: 'monthly', start: '2024-11-01', timezone: 'America/New_York', endOffset: 0 },
];

const NOWS = ['2025-03-30T03:30:00Z', '2025-04-01T00:00:00Z', '2025-10-26T12:10:00Z', '2025-12-31T23:59:00Z'];

describe.each(SPECS)('$granularity partitions in $timezone', (spec) => {
  const keys = partitionKeys(spec, new Date('2026-01-01T00:00:00Z'));
  const sample = [keys[0], keys[1], keys[Math.floor(keys.length / 2)], keys.at(-2), keys.at(-1)] as string[];
  // Around the spring DST change in Berlin for the hourly and daily sets.
  const dst = keys.filter((k) => k.startsWith('2025-03-30')).slice(0, 4);

  it.each(['prefect', 'dagster'] as const)('%s: _window and _placeholders match sluice', (target) => {
    const path = moduleWith(target, spec);
    const cases = [...sample, ...dst];
    const windows = run(
      path,
      cases.map((k) => ['_window', k]),
    );
    const filled = run(
      path,
      cases.map((k) => ['_placeholders', k, 'run-1']),
    );
    cases.forEach((key, i) => {
      const w = partitionWindow(spec, key);
      expect(windows[i], key).toEqual([w?.start.toISOString(), w?.end.toISOString()]);
      const values = filled[i] as Record<string, string>;
      const python = ALL.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => values[name] as string);
      expect(python, key).toBe(renderTemplate(ALL, { runId: 'run-1', partition: w, runStartedAt: 0 }));
    });
  });

  it("prefect: _partition_before gives sluice's newest complete partition, _shift_partition moves along the keys", () => {
    const path = moduleWith('prefect', spec);
    const before = run(
      path,
      NOWS.map((now) => ['_partition_before', { moment: now, tz: spec.timezone }]),
    );
    NOWS.forEach((now, i) => {
      expect(before[i], now).toBe(partitionKeys(spec, new Date(now)).at(-1));
    });
    const inner = keys.slice(2, 6);
    const shifted = run(
      path,
      inner.flatMap((k) => [
        ['_shift_partition', k, -1],
        ['_shift_partition', k, 2],
      ]),
    );
    inner.forEach((k, i) => {
      const at = keys.indexOf(k);
      expect([shifted[2 * i], shifted[2 * i + 1]], k).toEqual([keys[at - 1], keys[at + 2]]);
    });
  });
});

describe('unpartitioned runs', () => {
  it.each(['prefect', 'dagster'] as const)("%s: a run's date fills ds, the window placeholders stay empty", (target) => {
    const path = moduleWith(target, undefined);
    const [values] = run(path, [['_placeholders', '2025-01-10', 'run-9']]) as [Record<string, string>];
    const python = ALL.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => values[name] as string);
    expect(python).toBe(
      renderTemplate(ALL, { runId: 'run-9', partition: undefined, runStartedAt: Date.parse('2025-01-10T08:00:00Z') }),
    );
  });
});
