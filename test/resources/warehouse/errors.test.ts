// Error classification from driver errors as pg, Node and DuckDB raise them, without a database.

import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/definitions/errors.js';
import { abortedError, toWarehouseError, WarehouseError } from '../../../src/resources/warehouse/errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('toWarehouseError', () => {
  it.each([
    ['ECONNREFUSED', withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED')],
    ['ECONNRESET', withCode('read ECONNRESET', 'ECONNRESET')],
    ['ENOTFOUND', withCode('getaddrinfo ENOTFOUND db.example', 'ENOTFOUND')],
    ['57P01', withCode('terminating connection due to administrator command', '57P01')],
    ['08006', withCode('connection failure', '08006')],
    [undefined, new Error('Connection terminated unexpectedly')],
    ['IO', new Error('IO Error: Could not set lock on file "/x/w.duckdb": Conflicting lock is held in node (PID 1)')],
  ])("classifies %s as 'network'", (code, error) => {
    expect(toWarehouseError(error, 'postgres')).toMatchObject({ kind: 'network', code });
  });

  it('reads the code of the first failed address of a happy-eyeballs connect', () => {
    const error = new AggregateError([withCode('connect ECONNREFUSED ::1:1', 'ECONNREFUSED')], 'connect failed');
    expect(toWarehouseError(error, 'postgres')).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
  });

  it.each([
    ['57014', withCode('canceling statement due to statement timeout', '57014')],
    ['55P03', withCode('canceling statement due to lock timeout', '55P03')],
    ['INTERRUPT', new Error('INTERRUPT Error: Interrupted!')],
  ])("classifies %s as 'timeout'", (code, error) => {
    expect(toWarehouseError(error, 'duckdb')).toMatchObject({ kind: 'timeout', code });
  });

  it("treats anything raised under an aborted signal as 'timeout' and names the reason", () => {
    const signal = AbortSignal.abort(new Error('asset timed out after 5s'));
    const error = toWarehouseError(new Error('Connection terminated'), 'postgres', signal);
    expect(error).toMatchObject({ kind: 'timeout', message: 'postgres: statement cancelled: asset timed out after 5s' });
    expect(abortedError('duckdb', signal)).toMatchObject({ kind: 'timeout', dialect: 'duckdb' });
  });

  it("classifies the rest as 'sql', keeping the driver's code and error", () => {
    const cause = withCode('relation "nope" does not exist', '42P01');
    const error = toWarehouseError(cause, 'postgres');
    expect(error).toMatchObject({
      kind: 'sql',
      code: '42P01',
      dialect: 'postgres',
      message: 'postgres: relation "nope" does not exist',
    });
    expect(error.cause).toBe(cause);
    expect(toWarehouseError(new Error('Catalog Error: Table with name x does not exist!'), 'duckdb')).toMatchObject({
      kind: 'sql',
      code: 'CATALOG',
    });
    expect(toWarehouseError('plain string', 'duckdb')).toMatchObject({ kind: 'sql', code: undefined });
  });

  it('is a SluiceError that fails a run (exit code 1) and is not wrapped twice', () => {
    const error = toWarehouseError(new Error('x'), 'duckdb');
    expect(error).toBeInstanceOf(SluiceError);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error.name).toBe('WarehouseError');
    expect(error.exitCode).toBe(1);
    expect(toWarehouseError(error, 'postgres')).toBe(error);
  });
});
