// Test-only guard: any TCP connection to a non-loopback address fails loudly. Loaded by vitest's
// setupFiles and, via NODE_OPTIONS=--import, by every CLI process the tests spawn.
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/i;

function targetOf(args) {
  const first = args[0];
  if (Array.isArray(first)) return targetOf(first);
  if (first && typeof first === 'object') return first.path ? undefined : (first.host ?? 'localhost');
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // a unix socket path
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const host = targetOf(args);
  if (host !== undefined && !LOOPBACK.test(String(host).replace(/^\[|\]$/g, ''))) {
    const error = new Error(`network guard: tests may only connect to loopback, not ${host}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return original.apply(this, args);
};
