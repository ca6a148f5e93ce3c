// Builders for checks, sensors and notifications: small functions that return plain data.

import type { CheckInput, NotificationInput, PipelineSensorInput, SensorInput } from './schema.js';

type Check<T extends CheckInput['type']> = Omit<Extract<CheckInput, { type: T }>, 'type'>;
/**
 * One builder serves both places a sensor goes: a source asset's `sensor` (a wait, with `timeout`) and a
 * pipeline's `sensors` (a daemon trigger, with an optional `name`); each schema rejects the other's field.
 */
type Sensor<T extends SensorInput['type']> = Omit<Extract<SensorInput, { type: T }>, 'type'> &
  Omit<Extract<PipelineSensorInput, { type: T }>, 'type'>;
type AnySensor = SensorInput & PipelineSensorInput;

/** Data-quality checks run after an asset is produced; a failing blocking check keeps it unpublished. */
export const checks = {
  /** @example checks.rowCount({ min: 1 }) — zero rows fail. */
  rowCount: (options: Check<'row_count'> = {}): CheckInput => ({ type: 'row_count', ...options }),
  /** @example checks.countTolerance({ against: 'src.orders', tolerancePercent: 2 }) */
  countTolerance: (options: Check<'count_tolerance'>): CheckInput => ({ type: 'count_tolerance', ...options }),
  /** @example checks.freshness({ maxAge: '26h', column: 'updated_at' }) */
  freshness: (options: Check<'freshness'>): CheckInput => ({ type: 'freshness', ...options }),
  /** @example checks.sql({ sql: 'SELECT * FROM t WHERE id IS NULL', expect: 'no_rows' }) */
  sql: (options: Check<'sql'>): CheckInput => ({ type: 'sql', ...options }),
};

/**
 * Conditions polled every `pokeInterval`: on a source asset until true (or failed after `timeout`); on a
 * pipeline by the daemon, launching a run each time they hold on something new.
 */
export const sensors = {
  /** @example sensors.sql({ resource: 'dwh', sql: "SELECT 1 FROM md.dwh_flag WHERE ok", pokeInterval: '60s' }) */
  sql: (options: Sensor<'sql'>): AnySensor => ({ type: 'sql', ...options }) as AnySensor,
  /** @example sensors.externalRun({ pipeline: 'wf_main', partitionOffset: -1 }) */
  externalRun: (options: Sensor<'external_run'>): AnySensor => ({ type: 'external_run', ...options }) as AnySensor,
  /** @example sensors.file({ path: '/data/in/{{ ds_nodash }}.csv' }) */
  file: (options: Sensor<'file'>): AnySensor => ({ type: 'file', ...options }) as AnySensor,
  /** @example sensors.assetMaterialized({ asset: 'raw.orders', within: '1d' }) */
  assetMaterialized: (options: Sensor<'asset_materialized'>): AnySensor =>
    ({ type: 'asset_materialized', ...options }) as AnySensor,
};

/**
 * A Slack message on failure, sent with the `slack` resource (SLACK_BOT_TOKEN).
 * @example slack({ channel: '#data-alerts' })
 */
export function slack(options: Omit<Extract<NotificationInput, { type: 'slack' }>, 'type'>): NotificationInput {
  return { type: 'slack', ...options };
}

/**
 * An e-mail on failure, sent with the `email` resource (SMTP_URL).
 * @example email({ toEnv: 'EMAIL_RECIPIENTS' })
 */
export function email(options: Omit<Extract<NotificationInput, { type: 'email' }>, 'type'>): NotificationInput {
  return { type: 'email', ...options };
}
