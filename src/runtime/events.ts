// The run's event sink: redacts, tells subscribers at once, and writes to the store in batches.

import type { LogLine, RunEvent, RunStore } from '../storage/types.js';
import type { Clock } from './clock.js';
import type { Redactor } from './redact.js';

/** An event as the executor emits it; the sink fills in the run id and the time. */
export type EmittedEvent = Omit<RunEvent, 'runId' | 'at'>;

export interface EventSinkOptions {
  store: RunStore;
  runId: string;
  clock: Clock;
  redact: Redactor;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Flush once this many records are buffered. */
  maxBatch?: number;
  /** Flush buffered records at most this many real milliseconds after the first one. */
  flushMs?: number;
}

/**
 * Buffers events (log lines and check results travel as `log` and `check_evaluated` events) and
 * writes them with few store calls: when `maxBatch` events wait, `flushMs` after the first, or when the executor asks (`flush()`) before a producer
 * starts and after it ends, so a killed process loses nothing that succeeded. One write is in flight
 * at a time; flushes asked for meanwhile share the next write (group commit), which keeps the cost
 * per asset low when many finish together.
 * @example const sink = new EventSink({ store, runId, clock, redact }); sink.emit({ type: 'run_started' }); await sink.flush();
 */
export class EventSink {
  private events: RunEvent[] = [];
  private flushing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private soon: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private readonly maxBatch: number;
  private readonly flushMs: number;

  constructor(private readonly options: EventSinkOptions) {
    this.maxBatch = options.maxBatch ?? 100;
    this.flushMs = options.flushMs ?? 20;
  }

  /** Records an event (redacted) and hands it to `onEvent` before it is stored. */
  emit(event: EmittedEvent): RunEvent {
    const { redact, runId, clock, onEvent } = this.options;
    const stored: RunEvent = { runId, at: new Date(clock.now()).toISOString(), ...event };
    if (stored.message !== undefined) stored.message = redact(stored.message);
    if (stored.data !== undefined) stored.data = redact(stored.data);
    this.events.push(stored);
    if (onEvent) {
      try {
        onEvent(stored);
      } catch {
        // A broken progress view must not break the run.
      }
    }
    this.buffered();
    return stored;
  }

  /**
   * Records a log line as a `log` event (the store files it with the run's logs), so progress views
   * see it live and it shares the events' single ordered, atomic write.
   */
  log(line: Pick<LogLine, 'assetKey' | 'partition' | 'level' | 'stream' | 'message'>): void {
    this.emit({
      type: 'log',
      assetKey: line.assetKey ?? undefined,
      partition: line.partition,
      message: line.message,
      data: { level: line.level, stream: line.stream },
    });
  }

  /** Writes everything buffered so far; resolves once it is stored. Rejects if the store failed. */
  flush(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (!this.flushing) {
      if (this.events.length === 0) return Promise.resolve();
      this.flushing = this.write().finally(() => {
        this.flushing = undefined;
      });
      return this.flushing;
    }
    if (!this.queued) {
      this.queued = this.flushing.then(
        () => {
          this.queued = undefined;
          return this.flush();
        },
        (error) => {
          this.queued = undefined;
          throw error;
        },
      );
    }
    return this.queued;
  }

  /**
   * Flushes after the current turn of the event loop: what other steps record in the same turn (the
   * next step of a chain starting, siblings finishing) shares the write.
   */
  flushSoon(): Promise<void> {
    this.soon ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.soon = undefined;
      return this.flush();
    });
    return this.soon;
  }

  /** Flushes and stops the timer; the sink may not be used afterwards. */
  async close(): Promise<void> {
    await this.flush();
    if (this.flushing) await this.flushing;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private buffered(): void {
    if (this.events.length >= this.maxBatch) {
      this.flush().catch(() => {});
    } else if (!this.timer) {
      // A real timer on purpose: it bounds how stale the store may be, whatever the run's clock does.
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush().catch(() => {});
      }, this.flushMs);
      this.timer.unref?.();
    }
  }

  private async write(): Promise<void> {
    const events = this.events;
    this.events = [];
    try {
      // One call: the store applies events, the asset projection, check results and logs in one transaction.
      await this.options.store.appendEvents(events);
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }
}
