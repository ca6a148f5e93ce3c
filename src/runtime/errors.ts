// Errors the executor raises itself: failed checks, timeouts, lock conflicts, impossible resumes.

import { SluiceError } from '../definitions/errors.js';

/**
 * A blocking check failed, so the attempt fails with kind 'validation' and the asset is not published.
 * @example throw new CheckFailedError('analytics.temp_mau_summary', ['row_count: 0 rows, expected at least 1']);
 */
export class CheckFailedError extends SluiceError {
  override readonly exitCode: number = 1;
  readonly assetKey: string;
  readonly failures: readonly string[];
  constructor(assetKey: string, failures: readonly string[]) {
    super(`blocking check${failures.length > 1 ? 's' : ''} failed: ${failures.join('; ')}`);
    this.assetKey = assetKey;
    this.failures = failures;
  }
}

/**
 * An attempt ran past its timeout; the producer's signal was aborted with this error as its reason.
 * @example new AttemptTimeoutError('a.b', 30_000).message // 'timed out after 30s'
 */
export class AttemptTimeoutError extends SluiceError {
  override readonly exitCode: number = 1;
  readonly assetKey: string;
  readonly timeoutMs: number;
  constructor(assetKey: string, timeoutMs: number) {
    super(`timed out after ${formatMs(timeoutMs)}`);
    this.assetKey = assetKey;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Another live run holds the write lock of an asset × partition. Exit code 2: nothing was attempted.
 * @example new LockedError('a.b', '2025-01-10', '20250110T000000000Z-1a2b3c')
 */
export class LockedError extends SluiceError {
  readonly assetKey: string;
  readonly partition: string | null;
  readonly holder: string | undefined;
  constructor(assetKey: string, partition: string | null, holder: string | undefined) {
    const what = partition ? `asset "${assetKey}" partition ${partition}` : `asset "${assetKey}"`;
    const who = holder ? `run ${holder}` : 'another running run';
    super(`${what} is being materialized by ${who}; wait for it to finish, or materialize with --wait-for-locks`);
    this.assetKey = assetKey;
    this.partition = partition;
    this.holder = holder;
  }
}

/**
 * A run cannot be resumed: it does not exist, or it is still running.
 * @example throw new ResumeError('run 2025… is still running (heartbeat 3s ago); wait for it or cancel it');
 */
export class ResumeError extends SluiceError {}

/** The run was cancelled through its signal while this step was in flight or waiting. */
export class RunCancelledError extends SluiceError {
  override readonly exitCode: number = 1;
  constructor() {
    super('run cancelled');
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
