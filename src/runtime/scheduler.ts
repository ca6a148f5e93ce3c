// The ready queue: hands out run slots by plan order, within the global concurrency and per-pool limits.

import { SluiceError } from '../definitions/errors.js';

interface Waiter {
  index: number;
  pool: string;
  grant: () => void;
  reject: (error: unknown) => void;
}

/** A binary min-heap of waiters by plan index: the earliest step in the plan goes first. */
class WaiterHeap {
  private readonly items: Waiter[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Waiter | undefined {
    return this.items[0];
  }
  push(w: Waiter): void {
    const a = this.items;
    a.push(w);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((a[p] as Waiter).index <= w.index) break;
      a[i] = a[p] as Waiter;
      i = p;
    }
    a[i] = w;
  }
  pop(): Waiter | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      // Sift the last item down from the root.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && (a[r] as Waiter).index < (a[l] as Waiter).index ? r : l;
        if ((a[c] as Waiter).index >= last.index) break;
        a[i] = a[c] as Waiter;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
  drain(): Waiter[] {
    return this.items.splice(0);
  }
}

const NO_POOL = '';

/**
 * Run slots: at most `concurrency` steps run at once, and at most `pools[name]` of the steps in a
 * pool. A pool without a configured size is limited by `concurrency` only (as Dagster's pools are).
 * Waiting steps are granted in plan order, so the same plan always starts in the same order; a step
 * whose pool is full does not hold up later steps of other pools.
 * @example
 * const slots = new Slots(4, { warehouse: 1 });
 * await slots.acquire(0, 'warehouse'); try { ... } finally { slots.release('warehouse'); }
 */
export class Slots {
  private running = 0;
  private readonly used = new Map<string, number>();
  private readonly queues = new Map<string, WaiterHeap>();
  private closed: unknown;
  /** The most steps that ever ran at once. */
  maxInFlight = 0;

  constructor(
    private readonly concurrency: number,
    private readonly pools: Readonly<Record<string, number>> = {},
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new SluiceError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
    }
    for (const [name, size] of Object.entries(pools)) {
      if (!Number.isInteger(size) || size < 1) {
        throw new SluiceError(`pool "${name}" must have at least 1 slot, not ${size}`);
      }
    }
  }

  /** Resolves once step `index` may run; rejects if the slots are closed (the run was cancelled). */
  acquire(index: number, pool: string | undefined): Promise<void> {
    if (this.closed !== undefined) return Promise.reject(this.closed);
    const name = pool ?? NO_POOL;
    if (this.running < this.concurrency && this.poolFree(name) && this.noEarlierWaiter(name, index)) {
      this.take(name);
      return Promise.resolve();
    }
    return new Promise<void>((grant, reject) => {
      let queue = this.queues.get(name);
      if (!queue) {
        queue = new WaiterHeap();
        this.queues.set(name, queue);
      }
      queue.push({ index, pool: name, grant, reject });
    });
  }

  /** Gives back a slot of `pool` and starts the earliest waiting step that now fits. */
  release(pool: string | undefined): void {
    const name = pool ?? NO_POOL;
    this.running--;
    this.used.set(name, (this.used.get(name) ?? 1) - 1);
    this.dispatch();
  }

  /** Rejects every waiting step with `reason`; later acquires reject at once. */
  close(reason: unknown): void {
    this.closed = reason;
    for (const queue of this.queues.values()) for (const w of queue.drain()) w.reject(reason);
  }

  private poolFree(name: string): boolean {
    const size = name === NO_POOL ? undefined : this.pools[name];
    return size === undefined || (this.used.get(name) ?? 0) < size;
  }

  // Keeps plan order when a slot frees while an earlier step of the same pool still waits.
  private noEarlierWaiter(name: string, index: number): boolean {
    const head = this.queues.get(name)?.peek();
    return head === undefined || head.index > index;
  }

  private take(name: string): void {
    this.running++;
    this.used.set(name, (this.used.get(name) ?? 0) + 1);
    if (this.running > this.maxInFlight) this.maxInFlight = this.running;
  }

  private dispatch(): void {
    while (this.running < this.concurrency) {
      let best: WaiterHeap | undefined;
      for (const [name, queue] of this.queues) {
        const head = queue.peek();
        if (!head || !this.poolFree(name)) continue;
        if (!best || head.index < (best.peek() as Waiter).index) best = queue;
      }
      if (!best) return;
      const w = best.pop() as Waiter;
      this.take(w.pool);
      w.grant();
    }
  }
}
