// Live run events as Server-Sent Events: replay what is stored, then poll the store for more until the run ends.

import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RunStore } from '../storage/types.js';
import { STALE_MS } from './status.js';

export interface EventStreamOptions {
  /** How often to ask the store for new events. */
  pollMs: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  keepAliveMs?: number;
  /** Masks secrets in each event's JSON text. */
  redact: (json: string) => string;
}

/**
 * Streams run `runId`'s events after `afterSeq` as `run-event` messages (id = seq, so a reconnecting
 * EventSource resumes with Last-Event-ID), then, once the run is no longer running and everything is sent,
 * one `end` message with its status. Polling the store rather than listening in-process is what lets a page
 * watch a run that another process (`sluice materialize` in a terminal) writes into the same SQLite file.
 * @example app.get('/api/runs/:id/events', (c) => runEventStream(c, store, c.req.param('id'), 0, { pollMs: 250, redact }));
 */
export function runEventStream(
  c: Context,
  store: RunStore,
  runId: string,
  afterSeq: number,
  options: EventStreamOptions,
): Response {
  return streamSSE(c, async (stream) => {
    let closed = false;
    stream.onAbort(() => {
      closed = true;
    });
    let seq = afterSeq;
    let quietSince = Date.now();
    const send = async (): Promise<number> => {
      const batch = await store.events(runId, seq);
      for (const event of batch) {
        if (closed) break;
        await stream.writeSSE({
          id: String(event.seq),
          event: 'run-event',
          data: options.redact(JSON.stringify(event)),
          retry: 2000,
        });
        seq = event.seq;
      }
      return batch.length;
    };
    while (!closed) {
      if ((await send()) > 0) {
        quietSince = Date.now();
        continue;
      }
      const run = await store.getRun(runId);
      const stale = run?.status === 'running' && Date.now() - Date.parse(run.heartbeatAt) > STALE_MS;
      if (run?.status !== 'running' || stale) {
        // The run may have written its last events between the read above and the status read.
        await send();
        const status = stale ? 'stale' : (run?.status ?? 'unknown');
        if (!closed) await stream.writeSSE({ event: 'end', data: JSON.stringify({ status, lastSeq: seq }) });
        break;
      }
      if (Date.now() - quietSince > (options.keepAliveMs ?? 15_000)) {
        await stream.write(': keep-alive\n\n');
        quietSince = Date.now();
      }
      await stream.sleep(options.pollMs);
    }
  });
}
