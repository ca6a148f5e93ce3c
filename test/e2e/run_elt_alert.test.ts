// RunELT_Alert end to end through the real CLI on DuckDB, PostgreSQL and Snowflake (loopback peer): success, empty sources, a transient fault.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it, type TestContext } from 'vitest';
import { openWarehouse, seedTablesFromCsv, type Warehouse } from '../../src/resources/warehouse/index.js';
import { type SlackPeer, startSlackPeer } from '../fixtures/slack-peer/index.js';
import { SnowflakePeer } from '../fixtures/snowflake-peer/index.js';
import { type CliResult, REPO } from '../support/cli.js';
import { throwawayDatabase } from './support/postgres.js';
import {
  assetStates,
  EXPECTED_MAU,
  materialize,
  describe as output,
  readMau,
  runIdOf,
  showRun,
  startMaterialize,
  storeContents,
  storedRun,
  type Workspace,
  withWarehouse,
  workspace,
} from './support/sluice.js';

/** 60 s → 60 ms: the policy's real delays, run a thousand times faster. */
const SCALE = 0.001;
const SEEDS = join(REPO, 'assets', 'data');
const TOKEN = `xoxb-test-${randomBytes(8).toString('hex')}`;
const TEMP = 'analytics.temp_mau_summary';
const MAU = 'analytics.mau_summary';
// Each test starts the CLI up to four times; on a loaded machine one start can take several seconds.
const TEST_TIMEOUT_MS = 120_000;

/** One test's warehouse: the CLI environment to reach it, and what the checks need of it. */
interface Target {
  env: Record<string, string>;
  open(): Promise<Warehouse>;
  /** Credentials of this warehouse that must leak nowhere either. */
  secrets: string[];
  /** SQL the warehouse received so far (the Snowflake peer logs every statement). */
  queryLog?(): string[];
  /** Materializes once while the first attempt meets a transient fault; `fault` matches that attempt's error. */
  transient(ws: Workspace, env: Record<string, string>): Promise<{ result: CliResult; fault: RegExp }>;
  close(): Promise<void>;
}

/** A kind of warehouse; `start` gives each test a fresh one with raw_data seeded (DuckDB seeds itself). */
interface Backend {
  name: string;
  start(ws: Workspace): Promise<Target>;
}

const duckdb: Backend = {
  name: 'DuckDB',
  async start(ws) {
    // run-setup seeds raw_data from assets/data the first time it opens the file.
    const path = join(ws.dir, 'wh.duckdb');
    const open = () => openWarehouse({ type: 'duckdb', path });
    return {
      env: { SLUICE_CONN_WAREHOUSE: `duckdb:${path}` },
      open,
      secrets: [],
      async transient(ws, env) {
        // DuckDB's everyday transient fault: another process (a notebook, the duckdb shell) has the file open.
        // The open fails with "Could not set lock on file", which sluice counts as a network fault and retries.
        // This test holds the file until the run announces its retry, then lets go.
        const holder = await open();
        await holder.query('SELECT 1 AS opened');
        // 3 s before the second attempt instead of 60 ms: ample time to let go even on a busy machine.
        const cli = startMaterialize(ws, { ...env, SLUICE_TIME_SCALE: String(SCALE * 50) });
        try {
          await cli.waitFor(/analytics\.temp_mau_summary retrying \(attempt 2\)/);
        } catch (error) {
          cli.kill();
          throw error;
        } finally {
          await holder.close();
        }
        return { result: await cli.done, fault: /could not set lock on file/i };
      },
      close: async () => undefined,
    };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  async start() {
    // A database per test, so the tests of this file can run at once despite the fixed schema names.
    const db = throwawayDatabase('sluice_e2e');
    await db.create();
    const open = () => openWarehouse({ type: 'postgres', url: db.url });
    await withWarehouse(open, (wh) => seedTablesFromCsv(wh, SEEDS));
    return {
      env: { SLUICE_CONN_WAREHOUSE: db.url },
      open,
      secrets: [],
      async transient(ws, env) {
        // PostgreSQL's everyday transient fault: the server ends a session (an administrator, a failover, a
        // watchdog). To end the run's session at a known point, a second session holds an exclusive lock on a
        // source table, the CTAS queues behind it, and that backend is terminated (57P01, a network fault).
        const locker = new pg.Client({ connectionString: db.url });
        await locker.connect();
        try {
          await locker.query('BEGIN');
          await locker.query('LOCK TABLE raw_data.session_timestamp IN ACCESS EXCLUSIVE MODE');
          const running = materialize(ws, env);
          const pid = await blockedBackend(db.url, running);
          await locker.query('SELECT pg_terminate_backend($1)', [pid]);
          await locker.query('ROLLBACK');
          return { result: await running, fault: /terminat/i };
        } finally {
          await locker.end();
        }
      },
      close: () => db.drop(),
    };
  },
};

/**
 * The run's session once it waits for a lock. Polls from a session of its own: pg_stat_activity is a
 * snapshot per transaction, so the lock holder's transaction would never see the run arrive.
 */
async function blockedBackend(url: string, running: Promise<CliResult>): Promise<number> {
  let exited: CliResult | undefined;
  void running.then((r) => (exited = r));
  const watcher = new pg.Client({ connectionString: url });
  await watcher.connect();
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { rows } = await watcher.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'sluice' AND wait_event_type = 'Lock'`,
      );
      if (rows[0]) return rows[0].pid;
      if (exited) throw new Error(`the run ended before it waited for the lock\n${output(exited)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the run did not queue behind the lock within 60 s');
  } finally {
    await watcher.end();
  }
}

const snowflake: Backend = {
  name: 'Snowflake (loopback peer)',
  async start() {
    // A peer per test: an empty account and an empty query log.
    const password = `sf-e2e-${randomBytes(8).toString('hex')}`;
    const peer = new SnowflakePeer({ users: { SLUICE: { password } } });
    const server = await peer.start();
    const config = { account: 'sluice_e2e', user: 'sluice', password, accessUrl: server.url };
    const open = () => openWarehouse({ type: 'snowflake', ...config, loginRetries: 0 });
    await withWarehouse(open, (wh) => seedTablesFromCsv(wh, SEEDS));
    return {
      env: {
        SLUICE_CONN_WAREHOUSE: 'snowflake',
        SNOWFLAKE_ACCOUNT: config.account,
        SNOWFLAKE_USER: config.user,
        SNOWFLAKE_PASSWORD: password,
        SNOWFLAKE_ACCESS_URL: server.url,
        // Whatever the machine has set must not redirect the run: empty counts as unset.
        SNOWFLAKE_PRIVATE_KEY_PATH: '',
        SNOWFLAKE_ROLE: '',
        SNOWFLAKE_WAREHOUSE: '',
        SNOWFLAKE_DATABASE: '',
        SNOWFLAKE_SCHEMA: '',
      },
      open,
      secrets: [password],
      queryLog: () => peer.queries.map((q) => q.sqlText),
      async transient(ws, env) {
        // The server ended the session (390111 "Session no longer exists"): the driver reports a terminated
        // connection, sluice retries, and the adapter logs in again. A merely dropped socket would not do: the
        // driver resends that request itself, so sluice never sees a failed attempt.
        peer.failNextQueries(1, {
          code: '390111',
          message: 'Session no longer exists.  New login required to access the service.',
        });
        return { result: await materialize(ws, env), fault: /terminated connection|session no longer exists/i };
      },
      close: () => server.close(),
    };
  },
};

/** Everything one test runs against: its folder, Slack peer and warehouse, all removed when the test ends. */
async function scenario(backend: Backend, { onTestFinished }: TestContext) {
  const ws = await workspace();
  const slack: SlackPeer = await startSlackPeer({ token: TOKEN, channels: ['#data-alerts'] });
  const target = await backend.start(ws).catch(async (error: unknown) => {
    await Promise.allSettled([slack.close(), ws.remove()]);
    throw error;
  });
  onTestFinished(async () => {
    await Promise.allSettled([target.close(), slack.close()]);
    await ws.remove();
  });
  const env = { SLUICE_TIME_SCALE: String(SCALE), SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: slack.url, ...target.env };
  const read = () => withWarehouse(target.open, readMau);
  return { ws, slack, target, env, read };
}

// Every test has its own warehouse, store and peers, so all of them run at once: the CLI's start-up dominates.
describe.concurrent.each([duckdb, postgres, snowflake])('RunELT_Alert on $name', (backend) => {
  it(
    'builds analytics.mau_summary; `runs show` reports every asset succeeded',
    async (context) => {
      const { expect } = context;
      const { ws, slack, target, env, read } = await scenario(backend, context);
      // Where the warehouse logs statements, a second run shows how a table that exists is replaced.
      const rounds = target.queryLog ? [1, 2] : [1];
      for (const round of rounds) {
        const sent = target.queryLog?.().length ?? 0;
        const result = await materialize(ws, env);
        expect(result.status, output(result)).toBe(0);
        const shown = await showRun(ws, runIdOf(result));
        expect(shown.run).toMatchObject({ status: 'succeeded', pipeline: 'run_elt_alert', selection: 'pipeline:run_elt_alert' });
        expect(assetStates(shown)).toStrictEqual({
          'raw_data.session_timestamp': { status: 'succeeded', attempts: 1 },
          'raw_data.user_session_channel': { status: 'succeeded', attempts: 1 },
          [TEMP]: { status: 'succeeded', attempts: 1 },
          [MAU]: { status: 'succeeded', attempts: 1 },
        });
        expect(shown.checks).toMatchObject([{ assetKey: TEMP, name: 'not_empty', passed: true }]);
        expect(await read()).toStrictEqual(EXPECTED_MAU);
        const log = target.queryLog?.().slice(sent);
        if (log) {
          // Names are matched without regard to case: what matters here is the statements (see docs/integrations.md).
          expect(log).toContainEqual(
            expect.stringMatching(/^CREATE OR REPLACE TABLE "analytics"\."temp_mau_summary" AS SELECT/i),
          );
          // The first run publishes by renaming; from then on, by Snowflake's atomic SWAP WITH.
          expect(log).toContainEqual(
            expect.stringMatching(
              round === 1
                ? /^ALTER TABLE "analytics"\."temp_mau_summary" RENAME TO "analytics"\."mau_summary"$/i
                : /^ALTER TABLE "analytics"\."mau_summary" SWAP WITH "analytics"\."temp_mau_summary"$/i,
            ),
          );
        }
      }
      expect(slack.messages).toStrictEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps the published table when the sources are empty: 3 attempts, backoff, one Slack alert, no secret stored',
    async (context) => {
      const { expect } = context;
      const { ws, slack, target, env, read } = await scenario(backend, context);
      const first = await materialize(ws, env);
      expect(first.status, output(first)).toBe(0);
      await withWarehouse(target.open, async (wh) => {
        await wh.execute('DELETE FROM raw_data.session_timestamp');
        await wh.execute('DELETE FROM raw_data.user_session_channel');
      });

      const result = await materialize(ws, env);
      expect(result.status, output(result)).toBe(1);
      const runId = runIdOf(result);
      expect(await read()).toStrictEqual(EXPECTED_MAU);

      const { run, assets, events } = await storedRun(ws, runId);
      expect(run).toMatchObject({ status: 'failed', pipeline: 'run_elt_alert' });
      expect(assetStates({ assets })).toMatchObject({
        [TEMP]: { status: 'failed', attempts: 3 },
        [MAU]: { status: 'upstream_failed', attempts: 0 },
      });

      // Every attempt failed the zero-row check; the waits were 60 s then 120 s (exponential), recorded unscaled
      // and really taken at SLUICE_TIME_SCALE.
      const own = events.filter((e) => e.assetKey === TEMP);
      const failed = own.filter((e) => e.type === 'attempt_failed');
      expect(failed.map((e) => [e.attempt, e.data?.kind])).toStrictEqual([
        [1, 'validation'],
        [2, 'validation'],
        [3, 'validation'],
      ]);
      const retrying = own.filter((e) => e.type === 'asset_retrying');
      expect(retrying.map((e) => [e.attempt, e.data?.delayMs])).toStrictEqual([
        [2, 60_000],
        [3, 120_000],
      ]);
      const starts = own.filter((e) => e.type === 'asset_started').map((e) => Date.parse(e.at));
      expect(starts).toHaveLength(3);
      for (const [i, delayMs] of [60_000, 120_000].entries()) {
        // Timestamps are whole milliseconds, so one is allowed for rounding.
        expect(starts[i + 1]! - Date.parse(failed[i]!.at)).toBeGreaterThanOrEqual(delayMs * SCALE - 1);
      }

      // Exactly one alert, to the pipeline's channel, saying what failed, in which run, after how many attempts.
      expect(slack.messages).toHaveLength(1);
      const [message] = slack.messages;
      expect(message!.channel).toBe('#data-alerts');
      const blocks = JSON.stringify(message!.blocks);
      for (const text of [message!.text ?? '', blocks]) {
        expect(text).toContain('run_elt_alert');
        expect(text).toContain(TEMP);
        expect(text).toContain(runId);
      }
      expect(message!.text).toContain('after 3 attempts');
      expect(blocks).toContain('*Attempts*\\n3');

      // The token travelled in the Authorization header only: not in the message, the stored run or the output.
      const stored = await storeContents(ws);
      expect(stored).toContain(runId);
      for (const secret of [TOKEN, ...target.secrets]) {
        expect(message!.raw).not.toContain(secret);
        expect(stored).not.toContain(secret);
        for (const r of [first, result]) expect(r.stdout + r.stderr).not.toContain(secret);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'retries a transient warehouse fault and succeeds on the second attempt',
    async (context) => {
      const { expect } = context;
      const { ws, slack, target, env, read } = await scenario(backend, context);
      const { result, fault } = await target.transient(ws, env);
      expect(result.status, output(result)).toBe(0);
      const { run, assets, events } = await storedRun(ws, runIdOf(result));
      expect(run?.status).toBe('succeeded');
      expect(assetStates({ assets })).toMatchObject({
        [TEMP]: { status: 'succeeded', attempts: 2 },
        [MAU]: { status: 'succeeded', attempts: 1 },
      });
      const failed = events.filter((e) => e.type === 'attempt_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ assetKey: TEMP, attempt: 1, data: { kind: 'network', retry: true, delayMs: 60_000 } });
      expect(failed[0]!.message).toMatch(fault);
      expect(await read()).toStrictEqual(EXPECTED_MAU);
      expect(slack.messages).toStrictEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
