// Snowflake connection settings: their shape, and reading them from SNOWFLAKE_* environment variables without loading the driver.

import { WarehouseError } from './errors.js';

/**
 * Where and as whom to connect. Give `password`, or a private key (`privateKeyPath` or `privateKey`, PEM) for
 * key-pair authentication (the driver's SNOWFLAKE_JWT authenticator); a key wins over a password. Secrets are
 * kept out of every message, log line and error sluice produces.
 */
export interface SnowflakeConfig {
  /** Account identifier, e.g. `xy12345.eu-central-1` or `myorg-myaccount`. */
  account: string;
  user: string;
  password?: string | undefined;
  /** Path of a PEM private key file (PKCS#8, optionally encrypted). */
  privateKeyPath?: string | undefined;
  /** The PEM text itself, for keys kept in a secret store rather than a file. */
  privateKey?: string | undefined;
  privateKeyPassphrase?: string | undefined;
  role?: string | undefined;
  warehouse?: string | undefined;
  database?: string | undefined;
  schema?: string | undefined;
  /** Overrides the URL derived from the account, e.g. a loopback peer: `http://127.0.0.1:8080`. */
  accessUrl?: string | undefined;
  /** Extra login attempts after a network failure (the driver's sfRetryMaxLoginRetries). Default 1. */
  loginRetries?: number | undefined;
  /** Milliseconds one HTTP request may wait for an answer (the driver's `timeout`). Default 90 000. */
  requestTimeoutMs?: number | undefined;
}

/**
 * Reads the connection settings from the environment and says which variable is missing:
 *
 * - `SNOWFLAKE_ACCOUNT` (required): account identifier
 * - `SNOWFLAKE_USER` (required): login name
 * - `SNOWFLAKE_PASSWORD`: password authentication, or
 * - `SNOWFLAKE_PRIVATE_KEY_PATH` (+ `SNOWFLAKE_PRIVATE_KEY_PASSPHRASE` for an encrypted key): key-pair
 *   authentication (SNOWFLAKE_JWT); used instead of the password when both are set
 * - `SNOWFLAKE_ROLE`, `SNOWFLAKE_WAREHOUSE`, `SNOWFLAKE_DATABASE`, `SNOWFLAKE_SCHEMA` (optional): session defaults
 * - `SNOWFLAKE_ACCESS_URL` (optional): talk to this URL instead of the account's, e.g. a loopback test peer
 *
 * Empty values count as unset.
 * @example
 * const config = snowflakeConfigFromEnv(process.env);
 * const warehouse = await openWarehouse({ type: 'snowflake', ...config });
 */
export function snowflakeConfigFromEnv(env: Readonly<Record<string, string | undefined>>): SnowflakeConfig {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const account = read('SNOWFLAKE_ACCOUNT');
  if (account === undefined) throw missing('SNOWFLAKE_ACCOUNT', 'the account identifier, e.g. xy12345.eu-central-1');
  const user = read('SNOWFLAKE_USER');
  if (user === undefined) throw missing('SNOWFLAKE_USER', 'the login name');
  // Passwords may legitimately start or end with spaces, so only emptiness is checked.
  const password = env.SNOWFLAKE_PASSWORD === '' ? undefined : env.SNOWFLAKE_PASSWORD;
  const privateKeyPath = read('SNOWFLAKE_PRIVATE_KEY_PATH');
  if (password === undefined && privateKeyPath === undefined) {
    throw configError(
      'neither SNOWFLAKE_PASSWORD nor SNOWFLAKE_PRIVATE_KEY_PATH is set; set the password, or the path of a PEM private key ' +
        'for key-pair authentication (plus SNOWFLAKE_PRIVATE_KEY_PASSPHRASE if the key is encrypted)',
    );
  }
  const accessUrl = read('SNOWFLAKE_ACCESS_URL');
  if (accessUrl !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(accessUrl)) {
    throw configError(
      `SNOWFLAKE_ACCESS_URL must be an http(s) URL without a path, e.g. http://127.0.0.1:8080; got ${JSON.stringify(accessUrl)}`,
    );
  }
  return {
    account,
    user,
    ...(privateKeyPath === undefined
      ? { password }
      : { privateKeyPath, privateKeyPassphrase: env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE || undefined }),
    role: read('SNOWFLAKE_ROLE'),
    warehouse: read('SNOWFLAKE_WAREHOUSE'),
    database: read('SNOWFLAKE_DATABASE'),
    schema: read('SNOWFLAKE_SCHEMA'),
    accessUrl: accessUrl?.replace(/\/$/, ''),
  };
}

function missing(name: string, what: string): WarehouseError {
  return configError(`${name} is not set; set it to ${what}`);
}

function configError(message: string): WarehouseError {
  return new WarehouseError(`snowflake: ${message}`, { kind: 'sql', dialect: 'snowflake', code: 'CONFIG' });
}
