// `sluice serve` as the CLI starts it: real sockets on loopback, token rules, read-only by default.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServe } from '../../src/cli/commands/serve.js';
import type { CliIo } from '../../src/cli/io.js';
import { SluiceError } from '../../src/definitions/errors.js';
import { json, REPO } from './support.js';

function io(env: Record<string, string> = {}): CliIo {
  return {
    stdout: { write: () => true },
    stderr: { write: () => true },
    cwd: REPO,
    env: { ...process.env, SLUICE_TOKEN: '', ...env },
  };
}

describe('sluice serve', () => {
  it('serves the example project on a loopback port, read-only', async () => {
    const handle = await startServe(io(), { port: 0, store: 'memory:' }, {});
    try {
      expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(handle.openUrl).toBe(`${handle.url}/`);
      const config = await json(await fetch(`${handle.url}/api/config`));
      expect(config).toMatchObject({ project: basename(REPO), allowMaterialize: false, store: 'memory:' });
      expect((await fetch(`${handle.url}/`)).headers.get('content-type')).toMatch(/^text\/html/);
    } finally {
      await handle.stop();
    }
  });

  it('refuses a non-loopback host without a token', async () => {
    const attempt = startServe(io(), { port: 0, host: '0.0.0.0', store: 'memory:' }, {});
    await expect(attempt).rejects.toThrow(SluiceError);
    await expect(attempt).rejects.toThrow(/refusing to serve on 0\.0\.0\.0 without a token/);
  });

  it('binds beyond loopback with SLUICE_TOKEN, and then checks it on every request', async () => {
    const handle = await startServe(io({ SLUICE_TOKEN: 'env-token-123456' }), { port: 0, host: '0.0.0.0', store: 'memory:' }, {});
    try {
      const local = handle.url.replace('0.0.0.0', '127.0.0.1');
      expect((await fetch(`${local}/api/config`)).status).toBe(401);
      expect((await fetch(`${local}/api/config`, { headers: { authorization: 'Bearer env-token-123456' } })).status).toBe(200);
      expect(handle.openUrl).toBe(`${handle.url}/?token=env-token-123456`);
    } finally {
      await handle.stop();
    }
  });

  it('makes up a token for --allow-materialize when none is given', async () => {
    const handle = await startServe(io(), { port: 0, store: 'memory:', allowMaterialize: true }, {});
    try {
      expect(handle.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const res = await fetch(`${handle.url}/api/config`, { headers: { authorization: `Bearer ${handle.token}` } });
      expect((await json(res)).allowMaterialize).toBe(true);
    } finally {
      await handle.stop();
    }
  });

  it('rejects a port that is not one', async () => {
    await expect(startServe(io(), { port: 'http', store: 'memory:' }, {})).rejects.toThrow(
      '--port: "http" is not a port (0–65535)',
    );
  });
});
