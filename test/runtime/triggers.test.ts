// Trigger conditions and how skipped / upstream_failed travel down the graph.
import { describe, expect, it } from 'vitest';
import { asset, fn } from '../../src/index.js';
import { decideTrigger } from '../../src/runtime/triggers.js';
import { run } from './support/harness.js';

const ok = (key: string, deps: string[] = [], extra: object = {}) => asset(key, { deps, produce: fn(() => 1), ...extra });
const bad = (key: string, deps: string[] = []) => asset(key, { deps, produce: fn(() => Promise.reject(new Error('boom'))) });

describe('decideTrigger', () => {
  it('implements all_success, all_done and one_failed', () => {
    const s = { id: 'a', outcome: 'success' as const };
    const f = { id: 'b', outcome: 'failed' as const };
    const k = { id: 'c', outcome: 'skipped' as const };
    expect(decideTrigger('all_success', [s, k])).toEqual({ run: false, status: 'skipped', reason: 'upstream skipped: c' });
    expect(decideTrigger('all_success', [f, k])).toEqual({ run: false, status: 'upstream_failed', reason: 'upstream failed: b' });
    expect(decideTrigger('all_done', [f, k])).toEqual({ run: true });
    expect(decideTrigger('one_failed', [s, f])).toEqual({ run: true });
    expect(decideTrigger('one_failed', [s, k])).toMatchObject({ run: false, status: 'skipped' });
    expect(decideTrigger('one_failed', [])).toEqual({ run: true });
  });
});

describe('trigger conditions in a run', () => {
  it('all_done runs after a failure; one_failed fires; the run still fails', async () => {
    const load = bad('x.load');
    const cleanup = ok('x.cleanup', ['x.load'], { trigger: 'all_done' });
    const alert = ok('x.alert', ['x.load'], { trigger: 'one_failed' });
    const next = ok('x.next', ['x.load']);
    const { result } = await run([load, cleanup, alert, next]);
    expect(Object.fromEntries(result.steps.map((s) => [s.id, s.status]))).toEqual({
      'x.load': 'failed',
      'x.alert': 'succeeded',
      'x.cleanup': 'succeeded',
      'x.next': 'upstream_failed',
    });
    expect(result.status).toBe('failed');
  });

  it('one_failed is skipped when nothing failed, its all_success dependents are skipped, and the run succeeds', async () => {
    const load = ok('x.load');
    const alert = ok('x.alert', ['x.load'], { trigger: 'one_failed' });
    const afterAlert = ok('x.after_alert', ['x.alert']);
    const afterAll = ok('x.after_all', ['x.after_alert'], { trigger: 'all_done' });
    const { result, stored } = await run([load, alert, afterAlert, afterAll]);
    expect(Object.fromEntries(result.steps.map((s) => [s.id, [s.status, s.reason]]))).toEqual({
      'x.load': ['succeeded', null],
      'x.alert': ['skipped', 'one_failed: no upstream step failed'],
      'x.after_alert': ['skipped', 'upstream skipped: x.alert'],
      'x.after_all': ['succeeded', null],
    });
    expect(result.status).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(stored.filter((e) => e.type === 'asset_skipped').map((e) => e.assetKey)).toEqual(['x.alert', 'x.after_alert']);
  });

  it('upstream_failed wins over skipped, and one_failed counts upstream_failed as failed', async () => {
    const a = bad('x.a');
    const b = ok('x.b', ['x.a']);
    const skipped = ok('x.s', [], { trigger: 'one_failed' });
    const join = ok('x.join', ['x.b', 'x.s']);
    const notify = ok('x.notify', ['x.b'], { trigger: 'one_failed' });
    const { result } = await run([a, b, skipped, join, notify]);
    const status = Object.fromEntries(result.steps.map((s) => [s.id, s.status]));
    expect(status['x.s']).toBe('succeeded'); // no upstream: a root always runs
    expect(status['x.join']).toBe('upstream_failed');
    expect(status['x.notify']).toBe('succeeded');
  });
});
