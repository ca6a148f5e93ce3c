// The `shell` producer: a templated bash command with its output in the run's log and its process group under control.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { NonRetriableError, SluiceError } from '../../definitions/errors.js';
import { runInGroup } from './process-group.js';
import { projectRoot } from './root.js';
import type { ProducerRunner, StepContext } from './types.js';

// A chatty command must not flood the run store; the tail of stderr still reaches the error message.
const MAX_LOG_LINES = 10_000;
const MAX_LINE_CHARS = 4_000;
const STDERR_TAIL = 10;

/**
 * A shell command ended badly: a non-zero exit code or a signal it did not get from sluice. Kind 'other':
 * an exit code does not say whether trying again can help, so only `retryOn: ['any']` retries it.
 * @example new ShellError('exited with code 3', { exitCode: 3, signal: null, stderr: ['psql: error: …'] })
 */
export class ShellError extends SluiceError {
  override readonly exitCode: number = 1;
  readonly kind = 'other';
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: readonly string[];
  constructor(what: string, details: { exitCode: number | null; signal: NodeJS.Signals | null; stderr: readonly string[] }) {
    const tail = details.stderr.length > 0 ? `; last stderr lines:\n${details.stderr.join('\n')}` : '; no stderr output';
    super(`command ${what}${tail}`);
    this.code = details.exitCode;
    this.signal = details.signal;
    this.stderr = details.stderr;
  }
}

/**
 * What a command sees besides the process environment and the spec's `env`: the run's coordinates, so a
 * script can name its outputs after them without parsing arguments.
 * @example shellVariables(ctx).SLUICE_DS_NODASH // '20250110'
 */
function shellVariables(ctx: StepContext): Record<string, string> {
  return {
    SLUICE_PROJECT_DIR: projectRoot(ctx),
    SLUICE_RUN_ID: ctx.runId,
    SLUICE_ASSET_KEY: ctx.asset.key,
    SLUICE_ATTEMPT: String(ctx.attempt),
    SLUICE_PARTITION_KEY: ctx.partition?.key ?? '',
    SLUICE_DS: ctx.render('{{ ds }}'),
    SLUICE_DS_NODASH: ctx.render('{{ ds_nodash }}'),
  };
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS
    ? `${line.slice(0, MAX_LINE_CHARS)}… (${line.length - MAX_LINE_CHARS} more characters)`
    : line;
}

/**
 * Runs a `shell` producer: `bash -c <command>` with `{{ ds }}`-style placeholders filled in the command and
 * the env values, in `cwd` (relative to the project root; default the root). Each stdout line is logged as
 * info, each stderr line as warn (both redacted by the run). A non-zero exit fails the attempt with the exit
 * code and the last stderr lines; a timeout or cancel kills the whole process group and fails with the
 * signal's reason (kind 'timeout' for a timeout).
 * @example await runShell({ type: 'shell', command: 'echo {{ ds }}', env: {}, cwd: undefined }, ctx);
 */
export const runShell: ProducerRunner<'shell'> = async (spec, ctx) => {
  const command = ctx.render(spec.command);
  const env: NodeJS.ProcessEnv = { ...process.env, ...shellVariables(ctx) };
  for (const [name, value] of Object.entries(spec.env)) env[name] = ctx.render(value);
  const cwd = resolve(projectRoot(ctx), spec.cwd === undefined ? '.' : ctx.render(spec.cwd));
  // Node reports a missing cwd as "spawn bash ENOENT", which sends people looking for bash.
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory())
    throw new NonRetriableError(`working directory ${cwd} does not exist`);
  ctx.signal.throwIfAborted();

  ctx.log.info(`running bash -c ${JSON.stringify(command)} in ${cwd}`);
  const stderr: string[] = [];
  let logged = 0;
  let dropped = 0;
  const startedAt = Date.now();
  const exit = await runInGroup(command, {
    cwd,
    env,
    signal: ctx.signal,
    onLine: (stream, raw) => {
      const line = clip(raw);
      if (stream === 'stderr') {
        stderr.push(line);
        if (stderr.length > STDERR_TAIL) stderr.shift();
      }
      if (logged >= MAX_LOG_LINES) {
        dropped++;
        return;
      }
      logged++;
      if (stream === 'stdout') ctx.log.info(line);
      else ctx.log.warn(line);
    },
  });
  if (dropped > 0) ctx.log.warn(`${dropped} more output lines were not stored (limit ${MAX_LOG_LINES} per attempt)`);
  // Killed on purpose: the reason (AttemptTimeoutError, RunCancelledError) is the failure, not the signal.
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const durationMs = Date.now() - startedAt;
  if (exit.code !== 0) {
    const what = exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    throw new ShellError(what, { exitCode: exit.code, signal: exit.signal, stderr });
  }
  return { metadata: { exitCode: 0, durationMs, cwd } };
};
