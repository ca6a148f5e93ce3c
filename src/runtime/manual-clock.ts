// A clock that only moves when told to (or, in auto mode, when everything else is idle): for tests.

import type { Clock } from './clock.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export interface ManualClockOptions {
  /**
   * Jump to the next timer whenever the event loop has gone a few turns without new work, so a run
   * with retry delays and timeouts completes at once. Leave off when producers do real I/O (DuckDB),
   * or the heartbeat timer would make time race ahead while a query runs.
   */
  auto?: boolean;
}

/**
 * A fake {@link Clock}: `now` stands still until `advance`, `sleep` waits for fake time.
 * Every requested wait is kept in `sleeps` so tests can assert delays.
 * @example
 * const clock = new ManualClock(Date.parse('2025-01-10T00:00:00Z'), { auto: true });
 * const result = await execute({ plan, assets, store, clock }); // retry delays pass instantly
 */
export class ManualClock implements Clock {
  /** Every `sleep` duration asked for, in order. */
  readonly sleeps: number[] = [];
  private time: number;
  private seq = 0;
  private readonly timers: Timer[] = [];
  private readonly auto: boolean;
  private pumping = false;

  constructor(start: number = Date.parse('2025-01-10T00:00:00Z'), options: ManualClockOptions = {}) {
    this.time = start;
    this.auto = options.auto ?? false;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = {
        at: this.time + ms,
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.timers.indexOf(timer);
        if (i !== -1) this.timers.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      if (this.auto) this.pump();
    });
  }

  /** Moves time forward by `ms`, waking every sleeper that is due, in time order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.fire(next);
      await settle();
    }
    this.time = target;
  }

  /** How many sleepers are waiting. */
  get pending(): number {
    return this.timers.length;
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  private fire(timer: Timer): void {
    this.timers.splice(this.timers.indexOf(timer), 1);
    this.time = Math.max(this.time, timer.at);
    timer.resolve();
  }

  // One pump at a time: wait until promise chains and immediate callbacks settle, then wake the
  // earliest sleeper, and repeat while any are left.
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      for (;;) {
        await settle();
        const next = this.earliest();
        if (!next) break;
        this.fire(next);
      }
      this.pumping = false;
    })();
  }
}

// A few macrotask turns: enough for store calls that resolve through promises or setImmediate.
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
