// Child processes in their own process group, so a timeout or cancel stops the command and everything it started.

import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** How a process-group child ended: its exit code, or the signal that killed it. */
export interface GroupExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GroupOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborting sends SIGTERM to the whole group, then SIGKILL after `graceMs`. */
  signal: AbortSignal;
  /** Called once per line of stdout / stderr, without the line end. */
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Between SIGTERM and SIGKILL. Default 5 s (real time: a stuck process must not outlive a scaled clock). */
  graceMs?: number;
}

// Groups still alive, so they can be stopped when this process exits or is interrupted.
const live = new Set<number>();

/** Signals every process in group `pid`. A group that is already gone is not an error. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: every member has exited already.
  }
}

function stopLive(): void {
  for (const pid of live) killGroup(pid, 'SIGTERM');
}

// A detached group does not receive the terminal's Ctrl-C. When nobody else handles the signal (the
// default would end this process and orphan the group), stop the groups and then die as the default would.
function onInterrupt(signal: NodeJS.Signals): void {
  stopLive();
  if (process.listenerCount(signal) === 1) {
    unlisten();
    process.kill(process.pid, signal);
  }
}

function unlisten(): void {
  process.off('exit', stopLive);
  process.off('SIGINT', onInterrupt);
  process.off('SIGTERM', onInterrupt);
}

function track(pid: number): void {
  if (live.size === 0) {
    process.on('exit', stopLive);
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
  }
  live.add(pid);
}

function untrack(pid: number): void {
  live.delete(pid);
  if (live.size === 0) unlisten();
}

function readLines(stream: Readable, each: (line: string) => void): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', each);
  return new Promise((resolve) => {
    lines.once('close', resolve);
    // A destroyed or failed pipe just ends the lines; the exit code says whether the command worked.
    stream.once('error', resolve);
  });
}

/**
 * Runs `bash -c command` as the leader of a new process group, streaming its output line by line. Resolves
 * when it exits; rejects only when it cannot be started. On abort the whole group (the command's children
 * and grandchildren too) gets SIGTERM, then SIGKILL after the grace period.
 * @example const { code } = await runInGroup('sleep 1 && echo done', { cwd, env, signal, onLine: (s, l) => log(l) });
 */
export function runInGroup(command: string, options: GroupOptions): Promise<GroupExit> {
  const child: ChildProcess = spawn('bash', ['-c', command], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise<GroupExit>((resolve, reject) => {
    const pid = child.pid;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (pid === undefined) return;
      killGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), options.graceMs ?? 5_000);
      killTimer.unref();
    };
    if (pid !== undefined) track(pid);
    const stdout = child.stdout as Readable;
    const stderr = child.stderr as Readable;
    const drained = Promise.all([
      readLines(stdout, (line) => options.onLine('stdout', line)),
      readLines(stderr, (line) => options.onLine('stderr', line)),
    ]);
    const finish = () => {
      options.signal.removeEventListener('abort', stop);
      if (pid !== undefined) untrack(pid);
    };
    child.once('error', (error) => {
      finish();
      if (killTimer) clearTimeout(killTimer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      // A background grandchild may keep the pipes open after bash exits; do not wait on it for ever.
      const late = setTimeout(() => {
        stdout.destroy();
        stderr.destroy();
      }, 1_000);
      late.unref();
      void drained.then(() => {
        clearTimeout(late);
        finish();
        resolve({ code, signal });
      });
    });
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', stop, { once: true });
  });
}
