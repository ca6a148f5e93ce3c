// `sluice daemon --once` with pipeline sensors: a landed file starts its pipeline, that run starts the next.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture project, so the sensor's inbox/ is the test's own. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sensed-'));
  made.push(dir);
  cpSync(join(REPO, 'test/fixtures/cli/sensed'), dir, { recursive: true });
  // Inside the repository the fixture inherits its package.json; a project of its own declares ESM itself.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

interface SensorTick {
  pipeline: string;
  sensor: string;
  status: string;
  reason: string;
  runId: string | null;
}

// Poke intervals shrink with the clock's waits, so consecutive --once calls each evaluate every sensor.
const env = { SLUICE_TIME_SCALE: '0.00001' };

async function once(dir: string, store: string): Promise<SensorTick[]> {
  const r = await runCli(['-C', dir, 'daemon', '--once', '--store', store, '--json'], { env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout).sensorTicks;
}

const brief = (ticks: SensorTick[]) => ticks.map((t) => `${t.pipeline}/${t.sensor}: ${t.status}`);

describe('sluice daemon --once with pipeline sensors', () => {
  it('launches a pipeline when its file lands, the next one when that asset is materialized, and nothing twice', async () => {
    const dir = project();
    const store = `sqlite:${join(dir, 'runs.db')}`;

    const idle = await once(dir, store);
    expect(brief(idle)).toEqual(['load_inbox/file: skipped', 'orders_report/orders_loaded: skipped']);
    expect(idle[0]!.reason).toBe('no inbox/orders.csv yet');
    expect(idle[1]!.reason).toBe('inbox.orders not materialized yet');

    mkdirSync(join(dir, 'inbox'));
    writeFileSync(join(dir, 'inbox/orders.csv'), 'id,amount\n1,10\n2,20\n');
    const landed = await once(dir, store);
    expect(brief(landed)[0]).toBe('load_inbox/file: launched');
    expect(existsSync(join(dir, 'loaded.csv'))).toBe(true);

    const chained = await once(dir, store);
    expect(brief(chained)).toEqual(['load_inbox/file: skipped', 'orders_report/orders_loaded: launched']);
    expect(chained[0]!.reason).toMatch(/^nothing new: inbox\/orders\.csv exists/);

    const quiet = await once(dir, store);
    expect(quiet.map((t) => t.status)).toEqual(['skipped', 'skipped']);

    const runs = JSON.parse((await runCli(['-C', dir, 'runs', '--store', store, '--json'])).stdout);
    expect(
      runs
        .map((r: { pipeline: string; launchedBy: string; status: string }) => `${r.pipeline} ${r.launchedBy} ${r.status}`)
        .sort(),
    ).toEqual(['load_inbox sensor succeeded', 'orders_report sensor succeeded']);

    const ticks = await runCli(['-C', dir, 'ticks', 'load_inbox', '--store', store]);
    expect(ticks.status).toBe(0);
    expect(ticks.stdout).toContain('no schedule ticks recorded');
    expect(ticks.stdout.match(/load_inbox +file +launched/g)).toHaveLength(1);
    expect(ticks.stdout).toContain('no inbox/orders.csv yet');
  });

  it('lists pipeline sensors in sluice schedules', async () => {
    const r = await runCli(['-C', join(REPO, 'test/fixtures/cli/sensed'), 'schedules']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/load_inbox +file +file +60s +inbox\/orders\.csv/);
    expect(r.stdout).toMatch(/orders_report +orders_loaded +asset_materialized +30s +inbox\.orders/);
  });
});
