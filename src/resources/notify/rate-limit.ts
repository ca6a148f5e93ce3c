// A token bucket on an injectable clock: the client-side rate limit for outgoing notifications.

import { setTimeout as delay } from 'node:timers/promises';

/**
 * The two things the bucket needs from time. The executor's `Clock` fits it; tests pass a fake one so a
 * one-second refill takes no real time.
 * @example const clock: LimiterClock = { now: () => Date.now(), sleep: (ms) => delay(ms) };
 */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Rate and burst of a {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second. Default 1 (Slack's chat.postMessage allows about one message per second). */
  perSecond?: number | undefined;
  /** How many tokens the bucket holds, i.e. how many calls may go at once after a quiet spell. Default 5. */
  burst?: number | undefined;
  /** Default: the wall clock. */
  clock?: LimiterClock | undefined;
}

// Not unref'd on purpose: a notification waiting for its turn must keep the process alive until it is sent.
const wallClock: LimiterClock = { now: () => Date.now(), sleep: (ms) => delay(ms) };

/**
 * A token bucket: it starts full (`burst` tokens), refills at `perSecond`, and `take()` resolves when a token
 * was taken. Callers are served first come, first served, so a burst of notifications leaves in order.
 * @example
 * const bucket = new TokenBucket({ perSecond: 1, burst: 5 });
 * for (const m of messages) { await bucket.take(); await post(m); } // 5 at once, then one per second
 */
export class TokenBucket {
  readonly perSecond: number;
  readonly burst: number;
  readonly #clock: LimiterClock;
  readonly #intervalMs: number;
  #tokens: number;
  #last: number;
  // The previous caller's turn: each take() waits for it, which makes the queue FIFO without a list.
  #tail: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions = {}) {
    this.perSecond = options.perSecond ?? 1;
    this.burst = options.burst ?? 5;
    if (!(this.perSecond > 0) || !(this.burst >= 1)) {
      throw new RangeError(`token bucket needs perSecond > 0 and burst >= 1 (got ${this.perSecond}, ${this.burst})`);
    }
    this.#clock = options.clock ?? wallClock;
    this.#intervalMs = 1000 / this.perSecond;
    this.#tokens = this.burst;
    this.#last = this.#clock.now();
  }

  /** Waits for a token and takes it. */
  take(): Promise<void> {
    const turn = this.#tail.then(() => this.#waitForToken());
    // A clock whose sleep rejects must not wedge everyone queued behind.
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  /** Tokens available right now (fractional while refilling). */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  async #waitForToken(): Promise<void> {
    for (;;) {
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.#clock.sleep(Math.ceil((1 - this.#tokens) * this.#intervalMs));
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#last);
    this.#tokens = Math.min(this.burst, this.#tokens + elapsed / this.#intervalMs);
    this.#last = now;
  }
}
