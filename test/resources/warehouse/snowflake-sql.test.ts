// Snowflake SQL text handling without a server: lexing, statement splitting, bind markers, DDL, result values, error kinds.

import { describe, expect, it } from 'vitest';
import { toSnowflakeError } from '../../../src/resources/warehouse/snowflake-errors.js';
import {
  renameTableSql,
  scanSql,
  splitStatements,
  swapWithSql,
  toSnowflakeBinds,
} from '../../../src/resources/warehouse/snowflake-sql.js';
import { plainColumnName, plainRows } from '../../../src/resources/warehouse/snowflake-values.js';

describe('Snowflake SQL text', () => {
  it('lexes strings, quoted identifiers, dollar strings and comments, giving the text back', () => {
    const sql = `SELECT 'a;''b\\'c', "x;""y", $$ d;e $$, a$$b -- f;g\n/* h;i */ 1 // j`;
    const pieces = scanSql(sql);
    expect(pieces.map((piece) => piece.text).join('')).toBe(sql);
    expect(pieces.filter((piece) => piece.kind !== 'code').map((piece) => [piece.kind, piece.text])).toStrictEqual([
      ['string', `'a;''b\\'c'`],
      ['identifier', '"x;""y"'],
      ['dollar', '$$ d;e $$'],
      ['comment', '-- f;g'],
      ['comment', '/* h;i */'],
      ['comment', '// j'],
    ]);
  });

  it('splits at top-level semicolons only and drops empty and comment-only statements', () => {
    expect(splitStatements("CREATE TABLE t (s TEXT);\n INSERT INTO t VALUES (';'), ($$;$$); ; -- the end\n")).toStrictEqual([
      'CREATE TABLE t (s TEXT)',
      "INSERT INTO t VALUES (';'), ($$;$$)",
    ]);
    expect(splitStatements('  /* nothing */ ; ')).toStrictEqual([]);
  });

  it('turns $n markers into :n outside literals, leaving identifiers that contain $ alone', () => {
    expect(toSnowflakeBinds(`SELECT $1, $12, a$1, '$2', "$3" FROM t WHERE x = $2 -- $4`)).toBe(
      `SELECT :1, :12, a$1, '$2', "$3" FROM t WHERE x = :2 -- $4`,
    );
  });

  it('qualifies both names of SWAP WITH and RENAME TO, quoting each part', () => {
    const target = { schema: 'analytics', name: 'mau "x"' };
    const source = { schema: 'staging', name: 'mau' };
    expect(swapWithSql(target, source)).toBe('ALTER TABLE "analytics"."mau ""x""" SWAP WITH "staging"."mau"');
    expect(renameTableSql(source, target)).toBe('ALTER TABLE "staging"."mau" RENAME TO "analytics"."mau ""x"""');
  });
});

describe('Snowflake result values', () => {
  const column = (name: string, type: string, scale = 0) => ({ getName: () => name, getType: () => type, getScale: () => scale });

  it('keeps exact numbers, formats dates and instants, and lower-cases upper-case names', () => {
    const columns = [column('N', 'fixed'), column('BIG', 'fixed'), column('D', 'fixed', 2), column('R', 'real')];
    const more = [column('DT', 'date'), column('TS', 'timestamp_ntz'), column('MixedCase', 'text'), column('B', 'boolean')];
    const row = [
      '42',
      '9007199254740993',
      '1.50',
      'inf',
      new Date(Date.UTC(2025, 0, 2)),
      new Date(Date.UTC(2025, 0, 31, 23, 59, 59)),
      'x',
      true,
    ];
    expect(plainRows([...columns, ...more], [row, row.map(() => null)])).toStrictEqual([
      {
        n: 42,
        big: '9007199254740993',
        d: 1.5,
        r: Infinity,
        dt: '2025-01-02',
        ts: '2025-01-31T23:59:59.000Z',
        MixedCase: 'x',
        b: true,
      },
      { n: null, big: null, d: null, r: null, dt: null, ts: null, MixedCase: null, b: null },
    ]);
    expect(['MAU', 'COUNT(*)', 'mau', 'A_1$'].map(plainColumnName)).toStrictEqual(['mau', 'COUNT(*)', 'mau', 'a_1$']);
  });
});

describe('Snowflake error kinds', () => {
  const driverError = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? 'failed')), fields);

  it.each([
    [{ name: 'OperationFailedError', code: '002003', sqlState: '42S02' }, 'sql', '002003'],
    [{ name: 'OperationFailedError', code: '001003', sqlState: '42000' }, 'sql', '001003'],
    [{ name: 'OperationFailedError', code: '390100', sqlState: '08004' }, 'sql', '390100'],
    [{ name: 'OperationFailedError', code: '390112' }, 'network', '390112'],
    [{ name: 'OperationFailedError', code: '000604', sqlState: '57014' }, 'timeout', '000604'],
    [{ name: 'OperationFailedError', code: '000630', sqlState: '57014' }, 'timeout', '000630'],
    [{ name: 'NetworkError', code: 401001, cause: { code: 'ECONNREFUSED' } }, 'network', 'ECONNREFUSED'],
    [{ name: 'RequestFailedError', code: 401002, response: { statusCode: 503 } }, 'network', '401002'],
    [{ name: 'RequestFailedError', code: 401002, response: { statusCode: 404 } }, 'sql', '401002'],
    [{ name: 'ClientError', code: 407002, sqlState: '08003' }, 'network', '407002'],
  ])('%o is %s', (fields, kind, code) => {
    expect(toSnowflakeError(driverError(fields))).toMatchObject({ kind, code, dialect: 'snowflake' });
  });

  it('masks secrets and keeps only a plain copy of the driver error as cause', () => {
    const error = toSnowflakeError(
      driverError({ name: 'OperationFailedError', code: '390100', message: 'bad hunter22', response: { body: 'x' } }),
      {
        secrets: ['hunter22'],
      },
    );
    expect(error.message).toBe('snowflake: bad *** (code 390100)');
    expect(Object.keys(error.cause as object).sort()).toStrictEqual(['code', 'name', 'sqlState']);
  });

  it("is 'timeout' when the signal aborted, with the abort reason", () => {
    const controller = new AbortController();
    controller.abort(new Error('asset timed out after 5s'));
    const error = toSnowflakeError(driverError({ name: 'OperationFailedError', code: '000604' }), { signal: controller.signal });
    expect(error).toMatchObject({ kind: 'timeout', message: 'snowflake: statement cancelled: asset timed out after 5s' });
  });
});
