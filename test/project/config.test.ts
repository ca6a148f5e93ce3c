// The config schema, finding the project root, module globs, and the names generated code uses.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DefinitionError } from '../../src/definitions/errors.js';
import { globToRegExp, isLoadedModulePath } from '../../src/project/files.js';
import { defineConfig, findProjectRoot, parseConfig } from '../../src/project/index.js';
import { stringLiteral, variableNameFor } from '../../src/project/names.js';
import { removeTempProjects, tempProject } from './helpers.js';

afterAll(removeTempProjects);

function configError(input: unknown): string {
  try {
    parseConfig(input, 'sluice.config.ts');
  } catch (error) {
    if (error instanceof DefinitionError) return error.message;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfig', () => {
  it('fills every default for an empty config', () => {
    expect(parseConfig(undefined, undefined)).toStrictEqual({
      assets: ['assets'],
      storage: { url: 'sqlite:.sluice/runs.sqlite' },
      resources: {
        warehouse: { type: 'duckdb', path: '.sluice/warehouse.duckdb' },
        slack: { type: 'slack', tokenEnv: 'SLACK_BOT_TOKEN' },
        email: { type: 'email', smtpUrlEnv: 'SMTP_URL' },
      },
      pools: {},
      stateDir: '.sluice',
    });
  });

  it('keeps configured resources, with their defaults, over the built-in ones', () => {
    const config = parseConfig(
      defineConfig({
        stateDir: 'state/',
        storage: { urlEnv: 'DATABASE_URL' },
        resources: {
          warehouse: { type: 'snowflake', database: 'DEV', privateKeyEnv: 'SF_KEY' },
          local: { type: 'duckdb' },
          sap: {
            type: 'http',
            baseUrlEnv: 'SAP_URL',
            headers: { Accept: 'application/json' },
            headersEnv: { Authorization: 'SAP_AUTH' },
          },
          pg: { type: 'postgres', url: 'postgres://etl@127.0.0.1:5432/dwh' },
        },
      }),
      'sluice.config.ts',
    );
    expect(config.stateDir).toBe('state');
    expect(config.storage).toStrictEqual({ urlEnv: 'DATABASE_URL' });
    expect(config.resources).toStrictEqual({
      warehouse: {
        type: 'snowflake',
        accountEnv: 'SNOWFLAKE_ACCOUNT',
        userEnv: 'SNOWFLAKE_USER',
        passwordEnv: 'SNOWFLAKE_PASSWORD',
        privateKeyEnv: 'SF_KEY',
        database: 'DEV',
      },
      slack: { type: 'slack', tokenEnv: 'SLACK_BOT_TOKEN' },
      email: { type: 'email', smtpUrlEnv: 'SMTP_URL' },
      local: { type: 'duckdb', path: 'state/local.duckdb' },
      sap: {
        type: 'http',
        baseUrlEnv: 'SAP_URL',
        headers: { Accept: 'application/json' },
        headersEnv: { Authorization: 'SAP_AUTH' },
      },
      pg: { type: 'postgres', url: 'postgres://etl@127.0.0.1:5432/dwh' },
    });
  });

  it('names the file and the field of unknown fields, nested ones included', () => {
    expect(configError({ assetz: ['assets'] })).toBe('sluice.config.ts: assetz: unknown field "assetz"');
    expect(configError({ resources: { warehouse: { type: 'duckdb', pth: 'x.db' } } })).toBe(
      'sluice.config.ts: resources.warehouse.pth: unknown field "pth"',
    );
    expect(configError({ resources: { w: { type: 'oracle' } } })).toBe(
      'sluice.config.ts: resources.w.type: must be one of "duckdb", "postgres", "snowflake", "http", "slack", "email"',
    );
    expect(configError({ assets: 'assets' })).toBe('sluice.config.ts: assets: expected array, received string');
    expect(configError({ assets: ['/abs'] })).toBe('sluice.config.ts: assets.0: must be relative to the project root');
  });

  it('refuses secrets written into the config', () => {
    expect(configError({ resources: { pg: { type: 'postgres', url: 'postgres://etl:hunter2@db/dwh' } } })).toMatch(
      /^sluice\.config\.ts: resources\.pg\.url: must not contain a password/,
    );
    expect(configError({ storage: { url: 'postgresql://u:p@db/runs' } })).toMatch(
      /^sluice\.config\.ts: storage\.url: must not contain a password/,
    );
    expect(
      configError({ resources: { sap: { type: 'http', baseUrl: 'http://sap', headers: { Authorization: 'Bearer x' } } } }),
    ).toBe(
      'sluice.config.ts: resources.sap.headers.Authorization: looks like a credential: name an environment variable in headersEnv instead',
    );
    expect(configError({ resources: { s: { type: 'slack', tokenEnv: 'xoxb-123' } } })).toBe(
      'sluice.config.ts: resources.s.tokenEnv: must be an environment variable name such as "SNOWFLAKE_PASSWORD"',
    );
  });

  it('needs exactly one source for a URL', () => {
    expect(configError({ resources: { pg: { type: 'postgres' } } })).toBe(
      'sluice.config.ts: resources.pg.url: give exactly one of `url` or `urlEnv`',
    );
    expect(configError({ resources: { api: { type: 'http', baseUrl: 'http://a', baseUrlEnv: 'A' } } })).toBe(
      'sluice.config.ts: resources.api.baseUrl: give exactly one of `baseUrl` or `baseUrlEnv`',
    );
    expect(configError({ storage: { url: 'mysql://db/runs' } })).toBe(
      'sluice.config.ts: storage.url: must start with postgres://, postgresql:// or sqlite:',
    );
  });
});

describe('findProjectRoot', () => {
  it('walks up to the folder with sluice.config.ts, past a nearer package.json', async () => {
    const root = await tempProject();
    await writeFile(join(root, 'sluice.config.ts'), 'export default {};\n');
    await mkdir(join(root, 'packages/web/src'), { recursive: true });
    await writeFile(join(root, 'packages/web/package.json'), '{}\n');
    expect(findProjectRoot(join(root, 'packages/web/src'))).toBe(root);
    expect(findProjectRoot(root)).toBe(root);
  });

  it('falls back to the nearest package.json', async () => {
    const root = await tempProject();
    await mkdir(join(root, 'assets/sales'), { recursive: true });
    expect(findProjectRoot(join(root, 'assets/sales'))).toBe(root);
  });
});

describe('module paths', () => {
  it('matches globs over posix paths', () => {
    const glob = globToRegExp('pipelines/**/*.{assets,jobs}.ts');
    expect(['pipelines/a.assets.ts', 'pipelines/x/y/b.jobs.ts'].map((p) => glob.test(p))).toStrictEqual([true, true]);
    expect(['pipelines/a.ts', 'pipelinesXa.assets.ts', 'other/a.assets.ts'].map((p) => glob.test(p))).toStrictEqual([
      false,
      false,
      false,
    ]);
    expect(globToRegExp('assets/?.ts').test('assets/ab.ts')).toBe(false);
  });

  it('knows which new module paths a project would load', () => {
    expect(isLoadedModulePath('assets/sales/orders.ts', ['assets/'])).toBe(true);
    expect(isLoadedModulePath('jobs/x.assets.ts', ['assets', 'jobs/*.assets.ts'])).toBe(true);
    expect(isLoadedModulePath('assets2/orders.ts', ['assets'])).toBe(false);
    expect(isLoadedModulePath('assets/x.d.ts', ['assets'])).toBe(false);
    expect(isLoadedModulePath('assets/.cache/x.ts', ['assets'])).toBe(false);
  });
});

describe('names for generated code', () => {
  it('makes camelCase variable names that are valid and unused', () => {
    const taken = new Set(['martOrders']);
    expect(variableNameFor('analytics.mau_summary', taken)).toBe('analyticsMauSummary');
    expect(variableNameFor('SAP.SEGMENTATION_FLAG', taken)).toBe('sapSegmentationFlag');
    expect(variableNameFor('raw.OrderItems', taken)).toBe('rawOrderItems');
    expect(variableNameFor('mart.orders', taken)).toBe('martOrders2');
    expect(variableNameFor('2024.sales', taken)).toBe('asset2024Sales');
    expect(variableNameFor('finance.délai', taken)).toBe('financeDelai');
    expect(variableNameFor('…', taken)).toBe('asset');
    expect(variableNameFor('default', taken)).toBe('defaultAsset');
  });

  it('quotes strings as Biome would', () => {
    expect(stringLiteral('a.b')).toBe("'a.b'");
    expect(stringLiteral("it's")).toBe(`"it's"`);
    expect(stringLiteral(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(stringLiteral('back\\slash')).toBe("'back\\\\slash'");
  });
});
