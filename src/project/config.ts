// sluice.config.ts: what a project may configure (zod, strict), its defaults, and defineConfig for editors.

import { z } from 'zod';
import { DefinitionError } from '../definitions/errors.js';

/** Environment variable names: secrets are always referenced this way, never written into the config. */
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as "SNOWFLAKE_PASSWORD"');

/** A URL that carries no password; one with credentials belongs in an environment variable (`…Env`). */
const publicUrl = z
  .string()
  .min(1)
  .refine((s) => !URL.canParse(s) || new URL(s).password === '', {
    message: 'must not contain a password: put the whole URL in an environment variable and name it in the `…Env` field',
  });

// Header names whose values are credentials; they must come from headersEnv.
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|password|api[-_]?key/i;

const resourceName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a resource name like "warehouse"');

function oneOf<T extends Record<string, unknown>>(a: keyof T & string, b: keyof T & string) {
  return (value: T, ctx: z.RefinementCtx) => {
    const count = Number(value[a] !== undefined) + Number(value[b] !== undefined);
    if (count !== 1) ctx.addIssue({ code: 'custom', path: [a], message: `give exactly one of \`${a}\` or \`${b}\`` });
  };
}

const duckdbResource = z.strictObject({
  type: z.literal('duckdb'),
  /** Database file relative to the project root, or ':memory:'. Default: `<stateDir>/<resource name>.duckdb`. */
  path: z.string().min(1).optional(),
});

const postgresResource = z
  .strictObject({
    type: z.literal('postgres'),
    /** Connection URL without a password (trust auth, or PGPASSWORD in the environment). */
    url: publicUrl.optional(),
    /** Variable holding the full connection URL, e.g. "WAREHOUSE_URL". Give this or `url`. */
    urlEnv: envName.optional(),
  })
  .superRefine(oneOf('url', 'urlEnv'));

const snowflakeResource = z.strictObject({
  type: z.literal('snowflake'),
  /** Variable holding the account identifier. */
  accountEnv: envName.default('SNOWFLAKE_ACCOUNT'),
  /** Variable holding the user name. */
  userEnv: envName.default('SNOWFLAKE_USER'),
  /** Variable holding the password; used when `privateKeyEnv` is not given. */
  passwordEnv: envName.default('SNOWFLAKE_PASSWORD'),
  /** Variable holding a PEM private key for key-pair authentication; takes precedence over the password. */
  privateKeyEnv: envName.optional(),
  /** Variable holding the passphrase of an encrypted private key. */
  privateKeyPassphraseEnv: envName.optional(),
  /** Virtual warehouse, database, schema and role to use; names, not secrets. */
  warehouse: z.string().min(1).optional(),
  database: z.string().min(1).optional(),
  schema: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
  /** Overrides the account URL, e.g. a loopback peer in tests: "http://127.0.0.1:8080". */
  accessUrl: publicUrl.optional(),
});

const httpResource = z
  .strictObject({
    type: z.literal('http'),
    /** Base URL that producers' relative `url`s are resolved against. Give this or `baseUrlEnv`. */
    baseUrl: publicUrl.optional(),
    /** Variable holding the base URL. */
    baseUrlEnv: envName.optional(),
    /** Plain headers sent with every request. Credentials are refused here: use `headersEnv`. */
    headers: z
      .record(
        z
          .string()
          .refine((h) => !SECRET_HEADER.test(h), 'looks like a credential: name an environment variable in headersEnv instead'),
        z.string(),
      )
      .default({}),
    /** Headers whose values come from environment variables: { Authorization: 'SAP_AUTH_HEADER' }. */
    headersEnv: z.record(z.string(), envName).default({}),
  })
  .superRefine(oneOf('baseUrl', 'baseUrlEnv'));

const slackResource = z.strictObject({
  type: z.literal('slack'),
  /** Variable holding the bot token. */
  tokenEnv: envName.default('SLACK_BOT_TOKEN'),
  /** Overrides Slack's API URL, e.g. a loopback peer in tests: "http://127.0.0.1:8080/api/". */
  apiUrl: publicUrl.optional(),
});

const emailResource = z.strictObject({
  type: z.literal('email'),
  /** Variable holding the SMTP URL (smtp://user:pass@host:587). */
  smtpUrlEnv: envName.default('SMTP_URL'),
  /** Sender address. */
  from: z.string().email('must be an e-mail address').optional(),
});

const resourceConfig = z.discriminatedUnion('type', [
  duckdbResource,
  postgresResource,
  snowflakeResource,
  httpResource,
  slackResource,
  emailResource,
]);

const storageConfig = z
  .strictObject({
    /** Run store URL without a password: "postgres://host/db" or "sqlite:<path relative to the root>". */
    url: publicUrl
      .refine(
        (s) => /^(postgres|postgresql):\/\//.test(s) || s.startsWith('sqlite:'),
        'must start with postgres://, postgresql:// or sqlite:',
      )
      .optional(),
    /** Variable holding the run store URL, e.g. "DATABASE_URL". */
    urlEnv: envName.optional(),
  })
  .refine((s) => s.url === undefined || s.urlEnv === undefined, { message: 'give `url` or `urlEnv`, not both', path: ['url'] });

const relativePath = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => !s.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(s), 'must be relative to the project root');

const configSchema = z.strictObject({
  /** Folders or globs (relative to the root) holding asset modules. */
  assets: z.array(relativePath).min(1, 'needs at least one folder').default(['assets']),
  /** Where the run store lives; SQLite in the state folder when neither field is given. */
  storage: storageConfig.default({}),
  /** Named connections producers and notifications use, e.g. `sql({ resource: 'warehouse' })`. */
  resources: z.record(resourceName, resourceConfig).default({}),
  /** Concurrency pools and their slots, e.g. { reports: 1 }: assets naming a pool share its slots across a run. */
  pools: z.record(z.string().min(1), z.number().int().min(1, 'a pool needs at least 1 slot')).default({}),
  /** Folder for local state (run store, DuckDB warehouse), relative to the root. */
  stateDir: relativePath.default('.sluice'),
});

/** What a user writes in sluice.config.ts; every field is optional. */
export type SluiceConfigInput = z.input<typeof configSchema>;
/** One named resource as configured, secrets referenced by environment variable name. */
export type ResourceConfig = z.output<typeof resourceConfig>;
/** The run store: exactly one of `url` (SQLite by default) or `urlEnv` is set. */
export type StorageConfig = z.output<typeof storageConfig>;

/** A validated config with every default applied; `resources` always holds warehouse, slack and email. */
export interface SluiceConfig {
  assets: string[];
  storage: StorageConfig;
  resources: Record<string, ResourceConfig>;
  pools: Record<string, number>;
  stateDir: string;
}

/**
 * Types a project's sluice.config.ts for the editor; validation happens when the project loads.
 * @example
 * export default defineConfig({
 *   assets: ['assets', 'pipelines/**\/*.assets.ts'],
 *   resources: { warehouse: { type: 'snowflake', database: 'DEV' }, sap: { type: 'http', baseUrlEnv: 'SAP_URL' } },
 * });
 */
export function defineConfig(config: SluiceConfigInput): SluiceConfigInput {
  return config;
}

/**
 * Validates a config's default export and applies the defaults; `file` names it in errors.
 * @example parseConfig({ assets: ['src/assets'] }, 'sluice.config.ts').resources.warehouse // { type: 'duckdb', … }
 */
export function parseConfig(input: unknown, file: string | undefined): SluiceConfig {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) throw configError(result.error.issues, file);
  const { assets, storage, resources, pools, stateDir } = result.data;
  const state = stateDir.replace(/\/+$/, '');
  const withPaths: Record<string, ResourceConfig> = {};
  for (const [name, resource] of Object.entries(resources)) {
    withPaths[name] = resource.type === 'duckdb' && !resource.path ? { ...resource, path: `${state}/${name}.duckdb` } : resource;
  }
  return {
    assets,
    storage: storage.url || storage.urlEnv ? storage : { url: `sqlite:${state}/runs.sqlite` },
    // The defaults producers and notifications name when they name none; a configured one wins.
    resources: {
      warehouse: { type: 'duckdb', path: `${state}/warehouse.duckdb` },
      slack: { type: 'slack', tokenEnv: 'SLACK_BOT_TOKEN' },
      email: { type: 'email', smtpUrlEnv: 'SMTP_URL' },
      ...withPaths,
    },
    pools,
    stateDir: state,
  };
}

// A misspelled field usually also causes a "missing" complaint elsewhere, so the unknown field is reported first.
function configError(issues: readonly z.core.$ZodIssue[], file: string | undefined): DefinitionError {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (!issue) return new DefinitionError('is invalid', { file });
  const path = issue.path.map(String);
  let detail = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys') {
    path.push(issue.keys[0] ?? '');
    detail = `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  } else if (issue.code === 'invalid_key' && issue.issues[0]) {
    detail = issue.issues[0].message;
  } else if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    detail = `must be one of ${issue.options.map((o) => `"${String(o)}"`).join(', ')}`;
  }
  return new DefinitionError(detail, { file, field: path.length > 0 ? path.join('.') : undefined });
}
