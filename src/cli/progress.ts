// Live progress of a run: a redrawn status block on a terminal, one plain line per state change otherwise.

import type { RunEvent } from '../storage/types.js';
import { type CliIo, painter } from './io.js';

const SHOWN: Partial<Record<RunEvent['type'], string>> = {
  asset_started: 'started',
  attempt_failed: 'attempt failed',
  asset_retrying: 'retrying',
  asset_succeeded: 'succeeded',
  asset_failed: 'FAILED',
  asset_skipped: 'skipped',
  asset_upstream_failed: 'upstream failed',
  sensor_tick: 'waiting',
};

const COLOR = {
  succeeded: 'green',
  FAILED: 'red',
  'attempt failed': 'yellow',
  retrying: 'yellow',
  'upstream failed': 'red',
} as const;

/** Prints run events as they happen; call `done()` before printing the summary. */
export function progressPrinter(io: CliIo, total: number): { onEvent(event: RunEvent): void; done(): void } {
  const paint = painter(io);
  const started = Date.now();
  const label = (e: RunEvent) => `${e.assetKey}${e.partition ? `@${e.partition}` : ''}`;
  if (io.stdout.isTTY !== true) {
    return {
      onEvent(e) {
        const what = SHOWN[e.type];
        if (!what || !e.assetKey) return;
        const attempt = e.type === 'attempt_failed' || e.type === 'asset_retrying' ? ` (attempt ${e.attempt ?? '?'})` : '';
        const detail = e.message && (e.type === 'asset_failed' || e.type === 'attempt_failed') ? `: ${e.message}` : '';
        io.stdout.write(`${label(e)} ${what}${attempt}${detail}\n`);
      },
      done() {},
    };
  }
  // On a terminal: one line per running asset plus a counter line, redrawn in place.
  const running = new Map<string, number>();
  let finished = 0;
  let failed = 0;
  let drawn = 0;
  const draw = () => {
    const lines = [...running.entries()].map(
      ([name, since]) => `  ${paint('blue', 'running')} ${name} ${paint('dim', `${Math.round((Date.now() - since) / 1000)}s`)}`,
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    lines.push(
      `${finished}/${total} done${failed ? `, ${paint('red', `${failed} failed`)}` : ''} · ${running.size} running · ${seconds}s`,
    );
    io.stdout.write(`${drawn > 0 ? `\u001b[${drawn}A` : ''}\u001b[0J${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    onEvent(e) {
      if (!e.assetKey) return;
      const name = label(e);
      if (e.type === 'asset_started') running.set(name, Date.now());
      if (['asset_succeeded', 'asset_failed', 'asset_skipped', 'asset_upstream_failed'].includes(e.type)) {
        running.delete(name);
        finished++;
        if (e.type !== 'asset_succeeded' && e.type !== 'asset_skipped') failed++;
        const what = SHOWN[e.type] as keyof typeof COLOR;
        // Finished assets scroll above the live block, so the history stays on screen.
        io.stdout.write(
          `${drawn > 0 ? `\u001b[${drawn}A` : ''}\u001b[0J${name} ${COLOR[what] ? paint(COLOR[what], what) : what}\n`,
        );
        drawn = 0;
      }
      draw();
    },
    done() {
      clearInterval(timer);
      if (drawn > 0) io.stdout.write(`\u001b[${drawn}A\u001b[0J`);
      drawn = 0;
    },
  };
}
