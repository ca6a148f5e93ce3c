// Snowflake settings from SNOWFLAKE_* variables: what is required, what wins, and messages that name the variable.

import { describe, expect, it } from 'vitest';
import { snowflakeConfigFromEnv, WarehouseError } from '../../../src/resources/warehouse/index.js';

const BASE = { SNOWFLAKE_ACCOUNT: 'xy12345.eu-central-1', SNOWFLAKE_USER: 'loader', SNOWFLAKE_PASSWORD: 's3cret pass' };

const refusal = (env: Record<string, string | undefined>) => {
  try {
    snowflakeConfigFromEnv(env);
  } catch (error) {
    return error as WarehouseError;
  }
  throw new Error('expected snowflakeConfigFromEnv to refuse this environment');
};

describe('snowflakeConfigFromEnv', () => {
  it('reads password authentication and the session defaults', () => {
    const env = {
      ...BASE,
      SNOWFLAKE_ROLE: 'TRANSFORMER',
      SNOWFLAKE_WAREHOUSE: 'COMPUTE_WH',
      SNOWFLAKE_DATABASE: 'ANALYTICS',
      SNOWFLAKE_SCHEMA: 'PUBLIC',
      SNOWFLAKE_ACCESS_URL: 'http://127.0.0.1:8080/',
    };
    expect(snowflakeConfigFromEnv(env)).toStrictEqual({
      account: 'xy12345.eu-central-1',
      user: 'loader',
      password: 's3cret pass',
      role: 'TRANSFORMER',
      warehouse: 'COMPUTE_WH',
      database: 'ANALYTICS',
      schema: 'PUBLIC',
      accessUrl: 'http://127.0.0.1:8080',
    });
  });

  it('prefers key-pair authentication when a key path is set, with its passphrase', () => {
    const config = snowflakeConfigFromEnv({
      ...BASE,
      SNOWFLAKE_PRIVATE_KEY_PATH: '/keys/rsa_key.p8',
      SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: 'phrase',
    });
    expect(config).toMatchObject({ privateKeyPath: '/keys/rsa_key.p8', privateKeyPassphrase: 'phrase' });
    expect(config.password).toBeUndefined();
    const { SNOWFLAKE_PASSWORD: _unused, ...withoutPassword } = BASE;
    expect(snowflakeConfigFromEnv({ ...withoutPassword, SNOWFLAKE_PRIVATE_KEY_PATH: '/keys/k.p8' })).toMatchObject({
      privateKeyPath: '/keys/k.p8',
      privateKeyPassphrase: undefined,
    });
  });

  it.each([
    ['SNOWFLAKE_ACCOUNT', /SNOWFLAKE_ACCOUNT is not set; set it to the account identifier/],
    ['SNOWFLAKE_USER', /SNOWFLAKE_USER is not set; set it to the login name/],
    ['SNOWFLAKE_PASSWORD', /neither SNOWFLAKE_PASSWORD nor SNOWFLAKE_PRIVATE_KEY_PATH is set/],
  ])('names the missing variable %s (unset or empty)', (name, message) => {
    for (const value of [undefined, '']) {
      const error = refusal({ ...BASE, [name]: value });
      expect(error).toBeInstanceOf(WarehouseError);
      expect(error).toMatchObject({ kind: 'sql', code: 'CONFIG', dialect: 'snowflake' });
      expect(error.message).toMatch(message);
    }
  });

  it('refuses an access URL that is not a bare http(s) origin, and never echoes the password', () => {
    const error = refusal({ ...BASE, SNOWFLAKE_ACCESS_URL: 'ftp://example/path' });
    expect(error.message).toContain('SNOWFLAKE_ACCESS_URL must be an http(s) URL without a path');
    expect(refusal({ ...BASE, SNOWFLAKE_USER: '' }).message).not.toContain(BASE.SNOWFLAKE_PASSWORD);
  });
});
