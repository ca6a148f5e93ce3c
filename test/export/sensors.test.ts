// Pipeline sensors (the daemon's triggers) in each target: what starts the exported job, DAG or deployment.

import { describe, expect, it } from 'vitest';
import { asset, ExportError, pipeline, sensors, sourceAsset, sql } from '../../src/definitions/index.js';
import { type ExportInput, type ExportOptions, exportPipeline, type TargetName } from '../../src/export/index.js';
import { toInput } from './fixtures.js';
import { pyCompile, type Structure, structure, writeAll } from './python-tools.js';
import { ordersAudit, ordersLoad, ordersNotify, ordersReport, ordersReportByAsset } from './sensor-fixtures.js';

const postgres: ExportOptions = { resources: { dwh: { dialect: 'postgres' } } };

/** Exports, compiles with python3 and reads the structure back. */
function read(target: TargetName, input: ExportInput, options: ExportOptions = {}): { s: Structure; content: string } {
  const files = exportPipeline(target, input, options);
  const paths = writeAll(files, `sensors-${target}`);
  pyCompile(paths);
  const [s] = structure(paths) as [Structure];
  return { s, content: files[0]?.content ?? '' };
}

function failure(target: TargetName, input: ExportInput, options: ExportOptions = {}): ExportError {
  try {
    exportPipeline(target, input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ExportError);
    return error as ExportError;
  }
  throw new Error('the export succeeded');
}

/** A one-asset pipeline with the given sensors (and partitions, when asked). */
function withSensors(name: string, sensorList: Parameters<typeof pipeline>[1]['sensors'], partitioned = false): ExportInput {
  const made = asset(`ops.${name}`, {
    produce: sql({ sql: 'SELECT 1' }),
    ...(partitioned ? { partitions: { granularity: 'daily', start: '2025-01-10' } as const } : {}),
  });
  return toInput(pipeline(name, { select: `ops.${name}`, sensors: sensorList }), [made]);
}

function expectSensorError(e: ExportError, target: TargetName, pipelineName: string, sensorName: string, why: RegExp) {
  expect({ target: e.target, feature: e.feature, assetKey: e.assetKey }).toEqual({
    target,
    feature: `sensors.${sensorName}`,
    assetKey: undefined,
  });
  expect(e.message).toContain(`pipeline "${pipelineName}"`);
  expect(e.message).toMatch(why);
}

describe('Dagster', () => {
  const { s, content } = read('dagster', ordersReport, postgres);
  const byName = new Map((s.sensors ?? []).map((x) => [x.name, x]));

  it('writes one running sensor per pipeline sensor on the pipeline job, polling at its poke interval', () => {
    expect([...byName.keys()]).toEqual([
      'orders_report_asset_materialized',
      'orders_report_external_run',
      'orders_report_landed',
      'orders_report_sql',
    ]);
    for (const sensor of byName.values()) {
      expect(sensor.job).toBe('orders_report_job');
      expect(sensor.running).toBe('dg.DefaultSensorStatus.RUNNING');
    }
    expect([...byName.values()].map((x) => x.interval)).toEqual([45, 120, 300, 30]);
    expect(s.definedSensors).toEqual([...byName.keys()]);
    expect(s.sensorStarts).toBe(true);
  });

  it('watches the upstream asset with an asset sensor and runs its partition when it is one of the pipeline', () => {
    const sensor = byName.get('orders_report_asset_materialized');
    expect(sensor?.decorator).toBe('dg.asset_sensor');
    expect(sensor?.assetKey).toBe('mart/orders');
    expect(sensor?.params).toEqual(['context', 'asset_event']);
    expect(sensor?.runKeys).toEqual(["partition_key + '|' + upstream + '@' + asset_event.run_id"]);
    expect(content).toContain('if upstream and partitions_def.has_partition_key(upstream):');
    // within: 6h — an older materialization is skipped.
    expect(content).toContain('if time.time() - asset_event.timestamp > 21600:');
  });

  it("keys runs as the daemon does: the window for external_run, the file's mtime and size, the row's digest", () => {
    expect(byName.get('orders_report_external_run')?.runKeys).toEqual(['partition_key']);
    expect(content).toContain('wanted = _shift_partition(partition_key, -1)');
    expect(content).toContain('if not _job_succeeded(context, "orders_load", wanted):');
    expect(byName.get('orders_report_landed')?.runKeys).toEqual([
      "partition_key + '|' + 'file:' + str(stat.st_mtime_ns) + ':' + str(stat.st_size)",
    ]);
    expect(content).toContain('path = _fill("/data/in/orders_{{ ds_nodash }}.csv", values)');
    const sqlSensor = byName.get('orders_report_sql');
    expect(sqlSensor?.params).toEqual(['context', 'dwh']);
    expect(sqlSensor?.runKeys).toEqual(["partition_key + '|' + 'row:' + digest"]);
    expect(content).toContain('row = _fetch_one(dwh, _fill(ORDERS_REPORT_SQL_SQL, values))');
    for (const sensor of byName.values()) expect(sensor.partitionKeys).toEqual(['partition_key']);
  });

  it('unpartitioned: external_run requests once per succeeded run of the other job, without a partition', () => {
    const audit = read('dagster', ordersAudit);
    const [sensor] = audit.s.sensors ?? [];
    expect(sensor?.name).toBe('orders_audit_after_load');
    expect(sensor?.runKeys).toEqual(["'run:' + runs[0].run_id"]);
    expect(sensor?.partitionKeys).toEqual([]);
    expect(audit.content).toContain('filters=dg.RunsFilter(job_name="orders_load", statuses=[dg.DagsterRunStatus.SUCCESS])');
  });

  it('refuses a pipeline whose sources have sensors too: its runs would not wait for them', () => {
    const flagged = sourceAsset('raw.flag', { sensor: sensors.file({ path: '/tmp/flag' }) });
    const made = asset('ops.flagged', {
      deps: [flagged],
      produce: sql({ sql: 'SELECT 1' }),
      partitions: { granularity: 'daily', start: '2025-01-10' },
    });
    const input = toInput(
      pipeline('flagged', { select: '+ops.flagged', sensors: [sensors.externalRun({ pipeline: 'orders_load' })] }),
      [flagged, made],
    );
    expectSensorError(failure('dagster', input), 'dagster', 'flagged', 'external_run', /would not wait for its sources/);
  });
});

describe.each([2, 3] as const)('Airflow %i', (airflowVersion) => {
  it("schedules the DAG on the upstream task's outlet, or its cron, as the daemon runs both", () => {
    const downstream = read('airflow', ordersNotify, { airflowVersion }).s;
    const upstream = read('airflow', ordersLoad, { airflowVersion }).s;
    expect(downstream.datasets).toEqual(['sluice://asset/mart.orders']);
    expect(upstream.outlets?.['mart.orders']).toEqual(['sluice://asset/mart.orders']);
    expect(downstream.schedule).toEqual({ cron: '0 6 * * *', timezone: 'Europe/Berlin' });
    expect(downstream.calls).toContain(airflowVersion === 3 ? 'AssetOrTimeSchedule' : 'DatasetOrTimeSchedule');
  });

  it('starts on any one of several watched assets, not only when all were updated', () => {
    const input = withSensors('either', [
      sensors.assetMaterialized({ asset: 'mart.orders' }),
      sensors.assetMaterialized({ asset: 'mart.customers' }),
    ]);
    const { s, content } = read('airflow', input, { airflowVersion });
    expect(s.datasets).toEqual(['sluice://asset/mart.orders', 'sluice://asset/mart.customers']);
    expect(content).toMatch(/schedule=\((Dataset|Asset)\(.*\) \| (Dataset|Asset)\(/);
  });

  it('refuses external_run, file and sql sensors, and partitioned pipelines, naming pipeline and sensor', () => {
    const options = { airflowVersion };
    expectSensorError(
      failure('airflow', ordersAudit, options),
      'airflow',
      'orders_audit',
      'after_load',
      /not when another DAG run succeeds/,
    );
    const file = withSensors('on_file', [sensors.file({ path: '/in/x.csv' })]);
    expectSensorError(failure('airflow', file, options), 'airflow', 'on_file', 'file', /no trigger that starts a DAG/);
    const query = withSensors('on_row', [sensors.sql({ sql: 'SELECT 1' })]);
    expectSensorError(failure('airflow', query, options), 'airflow', 'on_row', 'sql', /no trigger that starts a DAG/);
    expectSensorError(
      failure('airflow', ordersReportByAsset, options),
      'airflow',
      'orders_report',
      'asset_materialized',
      /not the one partition sluice runs/,
    );
  });
});

describe('Airflow 3 only', () => {
  it('refuses {{ ds }} in an asset-triggered DAG, which has no logical date there', () => {
    const made = asset('ops.dated', { produce: sql({ sql: "DELETE FROM t WHERE day = '{{ ds }}'" }) });
    const input = toInput(
      pipeline('dated', { select: 'ops.dated', sensors: [sensors.assetMaterialized({ asset: 'mart.orders' })] }),
      [made],
    );
    expectSensorError(
      failure('airflow', input, { airflowVersion: 3 }),
      'airflow',
      'dated',
      'asset_materialized',
      /no logical date/,
    );
    expect(() => exportPipeline('airflow', input, { airflowVersion: 2 })).not.toThrow();
  });
});

describe('Prefect', () => {
  it('serves the downstream flow with a trigger on the event the upstream task emits, passing its partition', () => {
    const downstream = read('prefect', ordersReportByAsset);
    expect(downstream.s.triggers).toEqual([
      {
        expect: ['sluice.asset.materialized'],
        match: { 'prefect.resource.id': 'sluice.asset.mart.orders' },
        parameters: { partition_key: '{{ event.payload.partition_key }}' },
      },
    ]);
    const upstream = read('prefect', ordersLoad);
    expect(upstream.content).toContain(
      'emit_event(event="sluice.asset.materialized", resource={"prefect.resource.id": "sluice.asset.mart.orders", "prefect.resource.name": "mart.orders"}, payload={"partition_key": partition_key, "run_id": run_id})',
    );
    // Nothing watches it without watchedAssets: no event.
    const quiet = read('prefect', { ...ordersLoad, watchedAssets: [] });
    expect(quiet.content).not.toContain('emit_event');
  });

  it("runs the newest window when the upstream's partitions are not the pipeline's", () => {
    const hourly = { ...ordersReportByAsset.sensorAssets![0]!, partitions: undefined };
    const { s } = read('prefect', { ...ordersReportByAsset, sensorAssets: [hourly] });
    expect(s.triggers?.[0]).not.toHaveProperty('parameters');
  });

  it('starts after each completed run of another flow, matched by its name', () => {
    const { s } = read('prefect', ordersAudit);
    expect(s.triggers).toEqual([
      {
        expect: ['prefect.flow-run.Completed'],
        match_related: { 'prefect.resource.role': 'flow', 'prefect.resource.name': 'orders_load' },
      },
    ]);
  });

  it('refuses file and sql sensors, a partitioned external_run, and an asset sensor without the watched spec', () => {
    const file = withSensors('on_file', [sensors.file({ path: '/in/x.csv' })]);
    expectSensorError(failure('prefect', file), 'prefect', 'on_file', 'file', /emits no event/);
    const query = withSensors('on_row', [sensors.sql({ sql: 'SELECT 1' })]);
    expectSensorError(failure('prefect', query), 'prefect', 'on_row', 'sql', /emits no event/);
    const after = withSensors('after', [sensors.externalRun({ pipeline: 'orders_load' })], true);
    expectSensorError(failure('prefect', after), 'prefect', 'after', 'external_run', /which partition/);
    const blind = { ...ordersReportByAsset, sensorAssets: [] };
    expectSensorError(failure('prefect', blind), 'prefect', 'orders_report', 'asset_materialized', /sensorAssets/);
  });
});
