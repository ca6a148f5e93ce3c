// snowflake-sdk failures as WarehouseErrors: which ones a retry can fix, with secrets kept out of message and cause.

import { WarehouseError, type WarehouseErrorKind } from './errors.js';

/** What the driver's errors carry (its own classes are not exported). */
interface DriverError {
  name?: unknown;
  code?: unknown;
  sqlState?: unknown;
  message?: unknown;
  cause?: unknown;
  response?: { statusCode?: unknown; status?: unknown } | undefined;
}

// Login refusals: trying again with the same credentials cannot help. Other 390xxx codes concern the session
// (expired, gone, token invalid) and pass with a fresh login.
const AUTH_CODES = new Set(['390100', '390101', '390102', '390103', '390120', '390144', '390186', '390189', '390190', '390191']);
const SESSION_CODES = new Set(['390104', '390111', '390112', '390113', '390114']);
// 000604 cancelled, 000630 statement/warehouse timeout, 000617 cancelled by a system action.
const TIMEOUT_CODES = new Set(['000604', '000630', '000617']);
// The driver's own codes for a connection that is gone (405503, 406502, 407001, 407002: after the server
// ended the session, the driver reports "terminated connection" instead of the server's 390111).
const DRIVER_GONE = /^(405503|406502|407001|407002)$/;
// 401xxx network/HTTP, 402xxx large result download.
const DRIVER_NETWORK = /^(401\d{3}|402\d{3})$/;

/**
 * Classifies a driver error. `network` (retryable): could not connect, dropped or timed-out requests, HTTP 5xx/429,
 * expired or gone sessions, a disconnected connection. `timeout`: the signal aborted, or Snowflake cancelled or
 * timed the statement out. `sql`: everything else, incl. compilation errors (002003, SQLSTATE 42S02) and refused
 * logins. `secrets` are masked wherever they might appear in the text. The cause is a plain copy of the driver
 * error (name, code, sqlState, message): the original holds HTTP responses that have no business in run storage.
 * @example throw toSnowflakeError(error, { signal, secrets: [password] });
 */
export function toSnowflakeError(
  error: unknown,
  options: { signal?: AbortSignal | undefined; secrets?: readonly (string | undefined)[]; context?: string } = {},
): WarehouseError {
  if (error instanceof WarehouseError) return error;
  const driver = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const code = codeOf(driver);
  const sqlState = typeof driver.sqlState === 'string' && driver.sqlState !== '' ? driver.sqlState : undefined;
  const raw = typeof driver.message === 'string' && driver.message !== '' ? driver.message : String(error);
  const detail = mask(raw, options.secrets ?? []);
  const cause = Object.assign(new Error(detail), {
    name: typeof driver.name === 'string' ? driver.name : 'Error',
    code,
    sqlState,
  });
  const prefix = options.context ? `snowflake: ${options.context}: ` : 'snowflake: ';
  const signal = options.signal;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    const why = reason instanceof Error ? reason.message : reason === undefined ? detail : String(reason);
    return new WarehouseError(`snowflake: statement cancelled: ${why}`, { kind: 'timeout', dialect: 'snowflake', code, cause });
  }
  const kind = classify(driver, code, sqlState);
  const suffix = code && !detail.includes(code) ? ` (code ${code}${sqlState ? `, SQLSTATE ${sqlState}` : ''})` : '';
  return new WarehouseError(`${prefix}${detail}${suffix}`, { kind, dialect: 'snowflake', code, cause });
}

/**
 * A code saying the session is gone (the server's 390111/390112…, or the driver's "terminated connection"):
 * the adapter logs in again on the next call.
 * @example isSessionGone(toSnowflakeError(error)) // true for code '407002'
 */
export function isSessionGone(error: WarehouseError): boolean {
  return error.code !== undefined && (SESSION_CODES.has(error.code) || DRIVER_GONE.test(error.code));
}

function classify(driver: DriverError, code: string | undefined, sqlState: string | undefined): WarehouseErrorKind {
  if (driver.name === 'NetworkError' || driver.name === 'LargeResultSetError') return 'network';
  if (driver.name === 'RequestFailedError') {
    const status = Number(driver.response?.statusCode ?? driver.response?.status);
    return status >= 500 || status === 401 || status === 408 || status === 429 ? 'network' : 'sql';
  }
  if (code !== undefined) {
    if (TIMEOUT_CODES.has(code) || sqlState === '57014') return 'timeout';
    if (AUTH_CODES.has(code)) return 'sql';
    if (code.startsWith('390') || DRIVER_NETWORK.test(code) || DRIVER_GONE.test(code)) return 'network';
  }
  if (sqlState?.startsWith('08')) return 'network';
  return 'sql';
}

function codeOf(driver: DriverError): string | undefined {
  // A NetworkError (401001) wraps the socket error as its cause; ECONNRESET says more than the driver's code.
  const inner = (driver.cause as { code?: unknown } | undefined)?.code;
  if (driver.name === 'NetworkError' && typeof inner === 'string' && inner !== '') return inner;
  const own = driver.code;
  return (typeof own === 'string' && own !== '') || typeof own === 'number' ? String(own) : undefined;
}

function mask(text: string, secrets: readonly (string | undefined)[]): string {
  let masked = text;
  for (const secret of secrets) {
    // Very short secrets would mask ordinary words; they are never echoed by Snowflake anyway.
    if (secret && secret.length >= 4) masked = masked.replaceAll(secret, '***');
  }
  return masked;
}
