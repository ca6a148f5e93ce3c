// Warehouse failures as one typed error whose `kind` tells the retry policy whether trying again can help.

import { SluiceError } from '../../definitions/errors.js';
import type { WarehouseDialect } from './types.js';

/** `network`: could not reach or keep the warehouse; `timeout`: cancelled or timed out; `sql`: the statement is wrong. */
export type WarehouseErrorKind = 'network' | 'timeout' | 'sql';

/**
 * A warehouse driver failed. `code` is the SQLSTATE (PostgreSQL), the socket error code (`ECONNREFUSED`) or
 * the DuckDB error class (`PARSER`, `CATALOG`, `INTERRUPT`) when known; the driver's error is kept as `cause`.
 * @example
 * try { await warehouse.execute('SELEC 1'); }
 * catch (error) { if (error instanceof WarehouseError && error.kind !== 'sql') retryLater(); }
 */
export class WarehouseError extends SluiceError {
  override readonly exitCode: number = 1;
  readonly kind: WarehouseErrorKind;
  readonly dialect: WarehouseDialect | undefined;
  readonly code: string | undefined;
  constructor(
    message: string,
    details: { kind: WarehouseErrorKind; dialect?: WarehouseDialect | undefined; code?: string | undefined; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.kind = details.kind;
    this.dialect = details.dialect;
    this.code = details.code;
  }
}

// Socket-level codes from Node and the resolver: the server could not be reached or went away.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  // PostgreSQL: admin/crash shutdown, cannot connect now, too many connections — all pass with time.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

// 57014 query_canceled (statement_timeout or a cancel request), 55P03 lock_not_available (lock_timeout).
const TIMEOUT_CODES = new Set(['57014', '55P03', '25P03', 'INTERRUPT']);

// pg reports a dropped or unusable connection with a plain Error and no code.
const NETWORK_MESSAGE =
  /connection terminated|connection error|not queryable|timeout exceeded when trying to connect|could not set lock on file|connection (was )?closed/i;

/**
 * Wraps any driver error as a WarehouseError, classifying it. An aborted `signal` always means `timeout`,
 * whatever the driver made of the cancellation (pg: 57014 or a dropped socket; DuckDB: "Interrupted!").
 * A DuckDB file locked by another process counts as `network`: the warehouse is unreachable for now and a
 * later attempt succeeds once that process closes it.
 * @example throw toWarehouseError(error, 'postgres', signal);
 */
export function toWarehouseError(error: unknown, dialect: WarehouseDialect, signal?: AbortSignal): WarehouseError {
  if (error instanceof WarehouseError) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (signal?.aborted || isAbortError(error)) {
    return new WarehouseError(`${dialect}: statement cancelled: ${abortReason(signal) ?? detail}`, {
      kind: 'timeout',
      dialect,
      code,
      cause: error,
    });
  }
  const kind = classify(code, detail);
  return new WarehouseError(`${dialect}: ${detail}`, { kind, dialect, code, cause: error });
}

/** The error every adapter throws when its signal was aborted before any work started. */
export function abortedError(dialect: WarehouseDialect, signal: AbortSignal): WarehouseError {
  return new WarehouseError(`${dialect}: statement cancelled before it started: ${abortReason(signal) ?? 'aborted'}`, {
    kind: 'timeout',
    dialect,
    cause: signal.reason,
  });
}

function classify(code: string | undefined, message: string): WarehouseErrorKind {
  if (code !== undefined) {
    if (TIMEOUT_CODES.has(code)) return 'timeout';
    if (NETWORK_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'network';
  }
  return NETWORK_MESSAGE.test(message) ? 'network' : 'sql';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string' && own !== '') return own;
  // Node's happy-eyeballs connect (localhost → ::1 and 127.0.0.1) fails with an AggregateError.
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = errorCode(inner);
      if (innerCode) return innerCode;
    }
  }
  // DuckDB errors carry their class only in the message: "Parser Error: syntax error at …".
  const message = error instanceof Error ? error.message : '';
  // Statement extraction prefixes its own words: "Failed to extract statements: Parser Error: …".
  const duck = /^(?:Failed to extract statements: )?([A-Za-z][A-Za-z ]*?) Error: /.exec(message);
  return duck ? duck[1]!.toUpperCase().replaceAll(' ', '_') : undefined;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function abortReason(signal: AbortSignal | undefined): string | undefined {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? undefined : String(reason);
}
