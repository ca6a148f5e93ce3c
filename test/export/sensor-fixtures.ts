// Pipelines started by pipeline sensors, and the upstream pipeline whose asset one of them watches.

import { asset, pipeline, sensors, sourceAsset, sql } from '../../src/definitions/index.js';
import type { ExportInput } from '../../src/export/index.js';
import { toInput } from './fixtures.js';

const daily = { granularity: 'daily', start: '2025-01-10', timezone: 'UTC' } as const;

const rawOrders = sourceAsset('raw.orders');
const martOrders = asset('mart.orders', {
  deps: [rawOrders],
  produce: sql({ sql: 'INSERT INTO mart.orders SELECT * FROM raw.orders' }),
  partitions: daily,
});

/** The upstream: makes mart.orders, which `ordersReport` and `ordersNotify` watch. */
export const ordersLoad: ExportInput = {
  ...toInput(pipeline('orders_load', { select: '+mart.orders', schedule: { cron: '0 1 * * *', start: '2025-01-10' } }), [
    rawOrders,
    martOrders,
  ]),
  watchedAssets: ['mart.orders'],
};

const summary = asset('report.orders_summary', {
  produce: sql({ sql: 'INSERT INTO report.orders_summary SELECT COUNT(*) FROM mart.orders' }),
  partitions: daily,
});

/** Partitioned, started by each kind of pipeline sensor (Dagster exports all four). */
export const ordersReport: ExportInput = {
  ...toInput(
    pipeline('orders_report', {
      select: 'report.orders_summary',
      sensors: [
        sensors.assetMaterialized({ asset: 'mart.orders', within: '6h', pokeInterval: '45s' }),
        sensors.externalRun({ pipeline: 'orders_load', partitionOffset: -1, pokeInterval: '2m' }),
        sensors.file({ name: 'landed', path: '/data/in/orders_{{ ds_nodash }}.csv', pokeInterval: '5m' }),
        sensors.sql({ resource: 'dwh', sql: "SELECT load_id FROM ops.loads WHERE day = '{{ ds }}'" }),
      ],
    }),
    [summary],
  ),
  sensorAssets: [martOrders.spec],
};

/** Only the asset sensor of `ordersReport`: what Airflow cannot take (a partitioned pipeline) and Prefect can. */
export const ordersReportByAsset: ExportInput = {
  ...ordersReport,
  pipeline: { ...ordersReport.pipeline, sensors: ordersReport.pipeline.sensors.slice(0, 1) },
};

const notifyAsset = asset('ops.orders_notified', {
  produce: sql({ sql: "INSERT INTO ops.notices VALUES ('orders loaded')" }),
});

/** Unpartitioned, on a cron schedule and on mart.orders being materialized: Airflow's dataset-or-time schedule. */
export const ordersNotify: ExportInput = {
  ...toInput(
    pipeline('orders_notify', {
      select: 'ops.orders_notified',
      schedule: { cron: '0 6 * * *', start: '2025-01-10', timezone: 'Europe/Berlin' },
      sensors: [sensors.assetMaterialized({ asset: 'mart.orders' })],
    }),
    [notifyAsset],
  ),
  sensorAssets: [martOrders.spec],
};

const audit = asset('ops.orders_audit', { produce: sql({ sql: 'INSERT INTO ops.audit SELECT 1' }) });

/** Unpartitioned, started after each succeeded run of orders_load (Prefect: a completed-flow-run trigger). */
export const ordersAudit: ExportInput = toInput(
  pipeline('orders_audit', {
    select: 'ops.orders_audit',
    sensors: [sensors.externalRun({ name: 'after_load', pipeline: 'orders_load' })],
  }),
  [audit],
);
