// Shared by the notify tests: a sample failure, a fake clock for the rate limiter, and block-text flattening.

import { type FailureMessage, NotifyError } from '../../../src/resources/notify/index.js';
import type { LimiterClock } from '../../../src/resources/notify/rate-limit.js';

/** The seed's failure: the temp table of run_elt_alert failed its zero-row check three times. */
export function sampleMessage(overrides: Partial<FailureMessage> = {}): FailureMessage {
  return {
    pipeline: 'run_elt_alert',
    runId: 'r-20250110-0001',
    assets: [
      {
        key: 'analytics.temp_mau_summary',
        partition: '2025-01-10',
        attempts: 3,
        error: 'check row_count failed: analytics.temp_mau_summary has 0 rows (min 1)',
      },
    ],
    startedAt: '2025-01-10T00:00:00.000Z',
    endedAt: '2025-01-10T00:03:02.000Z',
    ...overrides,
  };
}

/** Every `text` string anywhere in a Block Kit payload, in order: what a reader of the message sees. */
export function blockText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (k === 'text' && typeof inner === 'string') out.push(inner);
        else walk(inner);
      }
    }
  };
  walk(blocks);
  return out.join('\n');
}

/** A clock that only moves on `advance`; `sleep` waits for fake time. */
export class FakeClock implements LimiterClock {
  time = 0;
  readonly sleeps: number[] = [];
  private readonly timers: { at: number; resolve: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => this.timers.push({ at: this.time + ms, resolve }));
  }

  /** Moves time forward, waking each due sleeper in time order and letting its continuation run. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.resolve();
      await flush();
    }
    this.time = target;
    await flush();
  }
}

/** A few event-loop turns: enough for promise chains and immediate callbacks to settle. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The NotifyError a send rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<NotifyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NotifyError) return error;
    throw error;
  }
  throw new Error('expected a NotifyError, but the send succeeded');
}
