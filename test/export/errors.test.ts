// What a target cannot express fails the export with an ExportError naming target, feature and asset, and a fix.

import { describe, expect, it } from 'vitest';
import {
  type AssetDefinition,
  asset,
  copy,
  ExportError,
  http,
  type PipelineOptions,
  pipeline,
  shell,
  slack,
  sourceAsset,
  sql,
} from '../../src/definitions/index.js';
import { exportPipeline, type TargetName } from '../../src/export/index.js';
import { toInput } from './fixtures.js';

const raw = sourceAsset('raw.orders');

function exportOne(target: TargetName, made: AssetDefinition, options: Partial<PipelineOptions> = {}) {
  const input = toInput(pipeline('p', { select: `+${made.key}`, ...options }), [raw, made]);
  try {
    exportPipeline(target, input);
  } catch (error) {
    return error;
  }
  throw new Error('the export succeeded');
}

function expectExportError(error: unknown, target: TargetName, feature: string, assetKey: string | undefined, fix: RegExp) {
  expect(error).toBeInstanceOf(ExportError);
  const e = error as ExportError;
  expect({ target: e.target, feature: e.feature, assetKey: e.assetKey }).toEqual({ target, feature, assetKey });
  expect(e.message).toContain(`export to ${target}: `);
  if (assetKey) expect(e.message).toContain(`asset "${assetKey}"`);
  expect(e.message).toMatch(fix);
}

describe('ExportError', () => {
  const copied = asset('files.orders_csv', {
    deps: [raw],
    produce: copy({ direction: 'table_to_file', table: 'raw.orders', path: 'out/orders.csv' }),
  });

  it.each(['airflow', 'prefect', 'dagster'] as const)(
    '%s: a copy producer has no idiom, and the fix says what to do',
    (target) => {
      expectExportError(exportOne(target, copied), target, 'copy', 'files.orders_csv', /wrap the copy in fn\(\.\.\.\)/);
    },
  );

  it('dagster: all_done has no Dagster form', () => {
    const cleanup = asset('ops.cleanup', { deps: [raw], produce: shell({ command: 'true' }), trigger: 'all_done' });
    expectExportError(exportOne('dagster', cleanup), 'dagster', 'trigger', 'ops.cleanup', /use all_success, or one_failed/);
  });

  it('dagster: a per-asset failure notification belongs to the pipeline', () => {
    const noisy = asset('mart.noisy', { deps: [raw], produce: sql({ sql: 'SELECT 1' }), notify: [slack({ channel: '#x' })] });
    expectExportError(exportOne('dagster', noisy), 'dagster', 'notify', 'mart.noisy', /pipeline's onFailure/);
  });

  it('prefect: dependsOnPast cannot be expressed', () => {
    const chained = asset('mart.chained', { deps: [raw], produce: sql({ sql: 'SELECT 1' }), dependsOnPast: true });
    expectExportError(exportOne('prefect', chained), 'prefect', 'dependsOnPast', 'mart.chained', /drop dependsOnPast/);
  });

  it('airflow: an HTTP call needs a connection', () => {
    const call = asset('api.ping', { deps: [raw], produce: http({ url: 'https://example.com/ping' }) });
    expectExportError(exportOne('airflow', call), 'airflow', 'http', 'api.ping', /give the producer a resource/);
  });

  it('prefect and dagster: catchup is not theirs to give; the error names no asset', () => {
    const made = asset('mart.daily', { deps: [raw], produce: sql({ sql: 'SELECT 1' }) });
    const schedule = { schedule: { cron: '@daily', start: '2025-01-01', catchup: true } };
    expectExportError(exportOne('prefect', made, schedule), 'prefect', 'schedule.catchup', undefined, /set catchup: false/);
    expectExportError(exportOne('dagster', made, schedule), 'dagster', 'schedule.catchup', undefined, /set catchup: false/);
  });

  it('every target: a table key with three parts is not a table sluice can write', () => {
    const deep = asset('db.schema.table', { deps: [raw], produce: { type: 'ctas', sql: 'SELECT 1' } });
    for (const target of ['airflow', 'prefect', 'dagster'] as const) {
      expectExportError(exportOne(target, deep), target, 'table', 'db.schema.table', /"table" or "schema\.table"/);
    }
  });
});
