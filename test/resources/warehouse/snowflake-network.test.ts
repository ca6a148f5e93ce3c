// Under plain Node with no SNOWFLAKE_* variables set: the adapter loads snowflake-sdk without probing cloud metadata hosts.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { SnowflakePeer } from '../../fixtures/snowflake-peer/index.js';

const run = promisify(execFile);
const entry = fileURLToPath(new URL('../../../src/resources/warehouse/index.ts', import.meta.url));
const peer = new SnowflakePeer();
const server = await peer.start();
afterAll(() => server.close());

// Records (and refuses) every TCP connection and DNS lookup the child makes, before anything else loads. The
// platform probes swallow their own failures, so only a record shows they ran. (http passes path: null for TCP.)
const recorder = `
import net from 'node:net';
import dns from 'node:dns';
const seen = { connects: [], lookups: [] };
const loopback = (host) => /^(127\\.|::1$|::ffff:127\\.|localhost$)/i.test(host);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (!options.path) {
    const host = String(options.host ?? 'localhost').replace(/^\\[|\\]$/g, '');
    seen.connects.push(host);
    if (!loopback(host)) {
      process.nextTick(() => this.destroy(new Error('refused by the test: ' + host)));
      return this;
    }
  }
  return connect.apply(this, args);
};
for (const target of [dns, dns.promises]) {
  const lookup = target.lookup;
  target.lookup = function (host, ...rest) {
    seen.lookups.push(host);
    return lookup.call(this, host, ...rest);
  };
}
const report = (extra) => console.log(JSON.stringify({ ...seen, ...extra }));
`;

const adapterScript = `${recorder}
const { openWarehouse } = await import(${JSON.stringify(entry)});
const wh = await openWarehouse({ type: 'snowflake', account: 'sluice', user: 'sluice', password: 'sluice-test-password',
  accessUrl: ${JSON.stringify(server.url)}, loginRetries: 0 });
const rows = await wh.query('SELECT 1 AS one');
await wh.close();
// The probes would run while the driver module loads and take up to 200 ms; give stragglers time to show.
await new Promise((resolve) => setTimeout(resolve, 400));
report({ rows, env: [process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION, process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE] });
`;

// The same driver imported without the adapter's precautions: proves the recorder sees the probes.
const bareDriverScript = `${recorder}
await import('snowflake-sdk');
await new Promise((resolve) => setTimeout(resolve, 400));
report({});
`;

async function runChild(script: string): Promise<{ connects: string[]; lookups: string[]; rows?: unknown; env?: unknown }> {
  const env = { ...process.env };
  // vitest's config sets these for the test process; the child must show the adapter sets them itself.
  delete env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION;
  delete env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    env,
    timeout: 20_000, // a socket or timer left open after close() would keep the child alive until this kills it
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

it('connects to loopback only, resolves no host name, sets the driver variables, and exits after close()', async () => {
  const seen = await runChild(adapterScript);
  expect(seen.rows).toStrictEqual([{ one: 1 }]);
  expect(seen.env).toStrictEqual(['true', 'true']);
  expect(seen.connects.length).toBeGreaterThan(0);
  expect(seen.connects.filter((host) => host !== '127.0.0.1')).toStrictEqual([]);
  expect(seen.lookups).toStrictEqual([]);
});

it('would see the metadata probes of a driver loaded without those precautions', async () => {
  const seen = await runChild(bareDriverScript);
  // Refused before their name is looked up, so the attempts show as connections, not lookups.
  expect(seen.connects).toEqual(expect.arrayContaining(['169.254.169.254', 'metadata.google.internal']));
});
