// Seed 003 end to end: the real CLI replicates a prod database into dev, staging and QA on the local PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openRunStore } from '../../src/storage/index.js';
import type { AssetRunRecord, RunRecord, StoredRunEvent } from '../../src/storage/types.js';
import { type CliResult, REPO, runNode } from '../support/cli.js';

const ADMIN_URL = process.env.SLUICE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    // No PostgreSQL is a failure that says how to fix it, never a skipped test.
    throw new Error(
      `this test needs PostgreSQL at ${ADMIN_URL} (${(error as Error).message}); start it (pg_ctlcluster 15 main start) or set SLUICE_TEST_PG_URL`,
      { cause: error },
    );
  }
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A database of this test file's own, with a name no other run shares. */
function throwaway(env: string): { name: string; url: string } {
  const name = `sluice_repl_${env}_${randomBytes(4).toString('hex')}`;
  return { name, url: Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString() };
}

const ENVS = ['prod', 'dev', 'staging', 'qa'] as const;
type Env = (typeof ENVS)[number];
const db = Object.fromEntries(ENVS.map((e) => [e, throwaway(e)])) as Record<Env, { name: string; url: string }>;

// Awkward on purpose: commas, quotes, a newline, NULL next to an empty string, a negative decimal, instants.
const PROD_ROWS = `INSERT INTO public.customers VALUES
  (1, 'Ann', 'ann@example.com', 12.50, '2024-01-02', '2025-01-10 06:00:00+00'),
  (2, 'Bob, Jr.', NULL, 0, NULL, NULL),
  (3, 'Zoë "Z"', 'z@example.com', -3.10, '2024-12-31', '2025-01-09 23:59:59+00'),
  (4, E'multi\\nline', '', NULL, NULL, NULL)`;

async function sql<T = Record<string, unknown>>(env: Env, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: db[env].url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every row of public.customers, in a form that compares exactly across databases. */
const customers = (env: Env) => sql(env, 'SELECT to_jsonb(c) AS row FROM public.customers c ORDER BY id');

let schema = '';
beforeAll(async () => {
  // Creating the databases fails loudly, with how to fix it, when PostgreSQL is not running: never a skip.
  for (const env of ENVS) await admin(`CREATE DATABASE ${db[env].name}`);
  schema = await readFile(join(REPO, 'assets/scripts/replication_schema.sql'), 'utf8');
  await sql('prod', schema);
  await sql('prod', PROD_ROWS);
}, 60_000);
afterAll(async () => {
  for (const env of ENVS) await admin(`DROP DATABASE IF EXISTS ${db[env].name} WITH (FORCE)`);
});

/** One test's folder: the SQLite run store and the CSV snapshots. */
let dir = '';
let store = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-repl-'));
  store = `sqlite:${join(dir, 'runs.db')}`;
  // Each target starts from its migrations with a stale row, so a load visibly replaces what was there.
  for (const env of ['dev', 'staging', 'qa'] as const) {
    await sql(env, `DROP TABLE IF EXISTS public.customers CASCADE; ${schema}`);
    await sql(env, `INSERT INTO public.customers (id, name) VALUES (100, 'stale ${env} row')`);
  }
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const output = (r: CliResult) => `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

function runIdOf(result: CliResult): string {
  const id = /^run (\S+) (?:succeeded|failed)/m.exec(result.stdout)?.[1];
  if (!id) throw new Error(`no run id in the CLI output (exit ${result.status})\n${output(result)}`);
  return id;
}

interface Shown {
  run: RunRecord;
  assets: AssetRunRecord[];
}

/** What `sluice runs show <id> --json` prints about the run. */
async function showRun(runId: string): Promise<Shown> {
  const result = await runNode(['runs', 'show', runId, '--store', store, '--json']);
  if (result.status !== 0) throw new Error(`runs show exited ${result.status}\n${output(result)}`);
  return JSON.parse(result.stdout) as Shown;
}

const assetStates = (shown: Shown) =>
  Object.fromEntries(shown.assets.map((a) => [a.assetKey, { status: a.status, attempts: a.attempts }]));

async function storedEvents(runId: string): Promise<StoredRunEvent[]> {
  const opened = await openRunStore({ url: store, root: dir });
  try {
    return await opened.events(runId);
  } finally {
    await opened.close();
  }
}

function replicate(): Promise<CliResult> {
  return runNode(['materialize', 'pipeline:replicate_prod_to_envs', '--store', store], {
    env: {
      PROD_DB_URL: db.prod.url,
      DEV_DB_URL: db.dev.url,
      STAGING_DB_URL: db.staging.url,
      QA_DB_URL: db.qa.url,
      CSV_OUTPUT_PATH: join(dir, 'files'),
      // The 300 s retry delay becomes 0.3 s; the scripts themselves run at full speed.
      SLUICE_TIME_SCALE: '0.001',
    },
    timeoutMs: 60_000,
  });
}

describe('replicate_prod_to_envs (seed 003) on the local PostgreSQL', () => {
  it('dumps prod once and loads the same rows into dev, staging and QA', async () => {
    const result = await replicate();
    expect(result.status, output(result)).toBe(0);
    const prod = await customers('prod');
    expect(prod).toHaveLength(4);
    for (const env of ['dev', 'staging', 'qa'] as const) expect(await customers(env), env).toEqual(prod);

    // One dated snapshot, published by rename: no temporary file is left beside it.
    const files = await readdir(join(dir, 'files'));
    expect(files).toEqual([expect.stringMatching(/^prod_snapshot_\d{8}\.csv$/)]);
    const csv = await readFile(join(dir, 'files', files[0] as string), 'utf8');
    expect(csv.split('\n')[0]).toBe('id,name,email,balance,signed_up,updated_at');

    const shown = await showRun(runIdOf(result));
    expect(shown.run).toMatchObject({ status: 'succeeded', pipeline: 'replicate_prod_to_envs' });
    expect(assetStates(shown)).toEqual({
      'prod.customers': { status: 'succeeded', attempts: 1 },
      'files.prod_snapshot': { status: 'succeeded', attempts: 1 },
      'dev.customers': { status: 'succeeded', attempts: 1 },
      'staging.customers': { status: 'succeeded', attempts: 1 },
      'qa.customers': { status: 'succeeded', attempts: 1 },
    });
  });

  it('retries a load that fails once, 300 s (scaled) later, and then succeeds', async () => {
    // A real refusal from the database, not a test switch in the scripts: a TRUNCATE trigger that raises the
    // first time it fires (sequences are not rolled back, so the second attempt passes).
    await sql(
      'staging',
      `CREATE SEQUENCE public.refresh_attempts;
       CREATE FUNCTION public.refuse_first_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF nextval('public.refresh_attempts') = 1 THEN
           RAISE EXCEPTION 'customers is being refreshed by another job' USING ERRCODE = 'lock_not_available';
         END IF;
         RETURN NULL;
       END $$;
       CREATE TRIGGER refuse_first_refresh BEFORE TRUNCATE ON public.customers
         FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_first_refresh();`,
    );
    const result = await replicate();
    expect(result.status, output(result)).toBe(0);
    const runId = runIdOf(result);
    expect(assetStates(await showRun(runId))).toMatchObject({
      'dev.customers': { status: 'succeeded', attempts: 1 },
      'staging.customers': { status: 'succeeded', attempts: 2 },
      'qa.customers': { status: 'succeeded', attempts: 1 },
    });
    const failed = (await storedEvents(runId)).filter((e) => e.type === 'attempt_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ assetKey: 'staging.customers', attempt: 1, data: { retry: true, delayMs: 300_000 } });
    expect(failed[0]?.message).toMatch(/^command exited with code 3; last stderr lines:\n/);
    expect(failed[0]?.message).toContain('customers is being refreshed by another job');
    expect(await customers('staging')).toEqual(await customers('prod'));
  });

  it('leaves a target whose load always fails unchanged, loads the others, and exits 1', async () => {
    // QA's migrations made balance an integer: prod's 12.50 cannot be loaded there, on any attempt.
    await sql('qa', 'ALTER TABLE public.customers ALTER COLUMN balance TYPE integer');
    const before = await customers('qa');
    const result = await replicate();
    expect(result.status, output(result)).toBe(1);
    const prod = await customers('prod');
    expect(await customers('dev')).toEqual(prod);
    expect(await customers('staging')).toEqual(prod);
    expect(await customers('qa')).toEqual(before);

    const shown = await showRun(runIdOf(result));
    expect(shown.run.status).toBe('failed');
    expect(assetStates(shown)).toMatchObject({
      'files.prod_snapshot': { status: 'succeeded', attempts: 1 },
      'dev.customers': { status: 'succeeded', attempts: 1 },
      'staging.customers': { status: 'succeeded', attempts: 1 },
      'qa.customers': { status: 'failed', attempts: 2 },
    });
    const qa = shown.assets.find((a) => a.assetKey === 'qa.customers');
    expect(qa?.error).toContain('invalid input syntax for type integer: "12.50"');
  });
});
