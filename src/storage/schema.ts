// The run storage schema: one numbered list of migrations, rendered for SQLite and PostgreSQL.
import type { Dialect } from './dialect.js';

/** One schema change. Applied migrations are recorded in `sluice_migrations` and never run twice. */
export interface Migration {
  id: number;
  name: string;
  statements(d: Dialect): string[];
}

/** The table that records which migrations ran; created before any migration. */
export function migrationsTable(d: Dialect): string {
  return `CREATE TABLE IF NOT EXISTS sluice_migrations (id INTEGER PRIMARY KEY, name ${d.key} NOT NULL, applied_at ${d.key} NOT NULL)`;
}

/**
 * Every migration, oldest first. Append only: an applied migration is never edited, a change is a
 * new entry. Timestamps are ISO-8601 UTC text in both engines (sortable, identical output).
 */
export const migrations: readonly Migration[] = [
  {
    id: 1,
    name: 'runs, events, asset runs, checks, logs, locks and the drive view',
    statements: (d) => [
      `CREATE TABLE runs (
        id ${d.key} PRIMARY KEY,
        pipeline ${d.key},
        selection TEXT NOT NULL,
        partitions ${d.json} NOT NULL,
        resumed_from ${d.key},
        started_at ${d.key} NOT NULL,
        launched_by ${d.key} NOT NULL,
        tags ${d.json},
        status ${d.key} NOT NULL,
        ended_at ${d.key},
        heartbeat_at ${d.key} NOT NULL,
        error TEXT,
        last_seq INTEGER NOT NULL DEFAULT 0
      )`,
      'CREATE INDEX runs_started ON runs (started_at, id)',
      'CREATE INDEX runs_pipeline ON runs (pipeline, started_at)',
      'CREATE INDEX runs_status ON runs (status, heartbeat_at)',
      `CREATE TABLE events (
        run_id ${d.key} NOT NULL,
        seq INTEGER NOT NULL,
        type ${d.key} NOT NULL,
        at ${d.key} NOT NULL,
        asset_key ${d.key},
        partition_key ${d.key},
        attempt INTEGER,
        message TEXT,
        data ${d.json},
        PRIMARY KEY (run_id, seq)
      )${d.clustered}`,
      `CREATE TABLE asset_runs (
        run_id ${d.key} NOT NULL,
        asset_key ${d.key} NOT NULL,
        partition_key ${d.key} NOT NULL,
        status ${d.key} NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        started_at ${d.key},
        ended_at ${d.key},
        row_count BIGINT,
        error TEXT,
        PRIMARY KEY (run_id, asset_key, partition_key)
      )${d.clustered}`,
      'CREATE INDEX asset_runs_latest ON asset_runs (asset_key, partition_key, ended_at)',
      `CREATE TABLE check_results (
        id ${d.autoId},
        run_id ${d.key} NOT NULL,
        asset_key ${d.key} NOT NULL,
        partition_key ${d.key} NOT NULL,
        name ${d.key} NOT NULL,
        passed ${d.bool} NOT NULL,
        blocking ${d.bool} NOT NULL,
        message TEXT NOT NULL,
        at ${d.key} NOT NULL
      )`,
      // One result per check evaluation, even when it arrives both as an event and directly.
      'CREATE UNIQUE INDEX check_results_once ON check_results (run_id, asset_key, partition_key, name, at)',
      `CREATE TABLE logs (
        id ${d.autoId},
        run_id ${d.key} NOT NULL,
        asset_key ${d.key},
        partition_key ${d.key} NOT NULL,
        at ${d.key} NOT NULL,
        level ${d.key} NOT NULL,
        stream ${d.key} NOT NULL,
        message TEXT NOT NULL
      )`,
      'CREATE INDEX logs_run ON logs (run_id, at)',
      'CREATE INDEX logs_asset ON logs (run_id, asset_key, at)',
      `CREATE TABLE locks (
        name ${d.key} PRIMARY KEY,
        owner ${d.key} NOT NULL,
        acquired_at ${d.key} NOT NULL
      )`,
      // The "drive table" data engineers query: one row per run × asset × partition.
      `CREATE VIEW drive AS SELECT
        a.run_id, r.pipeline, r.status AS run_status, r.resumed_from, r.started_at AS run_started_at,
        a.asset_key, a.partition_key, a.status, a.attempts, a.started_at, a.ended_at,
        ${d.durationMs('a.started_at', 'a.ended_at')} AS duration_ms,
        a.row_count, a.error
      FROM asset_runs a JOIN runs r ON r.id = a.run_id`,
    ],
  },
  {
    id: 2,
    name: 'schedule ticks evaluated by the daemon',
    statements: (d) => [
      `CREATE TABLE ticks (
        pipeline ${d.key} NOT NULL,
        tick_at ${d.key} NOT NULL,
        status ${d.key} NOT NULL,
        reason ${d.key} NOT NULL,
        run_id ${d.key},
        evaluated_at ${d.key} NOT NULL,
        PRIMARY KEY (pipeline, tick_at)
      )`,
      'CREATE INDEX ticks_evaluated ON ticks (evaluated_at)',
    ],
  },
  {
    id: 3,
    name: 'pipeline sensor evaluations and their run keys',
    statements: (d) => [
      `CREATE TABLE sensor_ticks (
        id ${d.autoId},
        pipeline ${d.key} NOT NULL,
        sensor ${d.key} NOT NULL,
        evaluated_at ${d.key} NOT NULL,
        status ${d.key} NOT NULL,
        reason TEXT NOT NULL,
        run_key ${d.key},
        partition_key ${d.key},
        run_id ${d.key}
      )`,
      // NULL keys (skipped ticks) never collide, in SQLite and PostgreSQL alike.
      'CREATE UNIQUE INDEX sensor_ticks_run_key ON sensor_ticks (pipeline, sensor, run_key)',
      'CREATE INDEX sensor_ticks_evaluated ON sensor_ticks (pipeline, sensor, evaluated_at)',
    ],
  },
];
