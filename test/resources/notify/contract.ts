// The contract every notifier meets, asserted on what its loopback peer received: content and no secrets.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailureMessage } from '../../../src/resources/notify/index.js';
import { redactor } from '../../../src/resources/secrets.js';
import { sampleMessage } from './support.js';

/** A notifier wired to its peer, as each implementation's test file provides it. */
export interface ContractSubject {
  /** Sends through a notifier built with this redactor. */
  send(message: FailureMessage, redact: (text: string) => string): Promise<unknown>;
  /** What a reader sees of each delivered message (decoded text), in order. */
  seen(): string[];
  /** Each delivered message exactly as it came over the wire. */
  wire(): string[];
  close(): Promise<void>;
}

// Distinctive fragments: if any of them shows up anywhere, part of a secret leaked.
const PASSWORD = 'Pa$$-w0rd&<hunter2>';
const TOKEN = 'tok3n-ABCDEF-0123456789';
const FRAGMENTS = ['w0rd', 'hunter2', 'tok3n', 'ABCDEF-0123'];

/**
 * Runs the shared notifier suite.
 * @example runNotifierContract('slack', async () => ({ send, seen, wire, close }));
 */
export function runNotifierContract(name: string, start: () => Promise<ContractSubject>): void {
  describe(`${name} notifier contract`, () => {
    let subject: ContractSubject;
    beforeAll(async () => {
      subject = await start();
    });
    afterAll(async () => {
      await subject.close();
    });

    it('delivers the pipeline, asset, partition, run id, attempts and error', async () => {
      await subject.send(sampleMessage(), (t) => t);
      const seen = subject.seen().at(-1) ?? '';
      expect(seen).toContain('run_elt_alert');
      expect(seen).toContain('analytics.temp_mau_summary');
      expect(seen).toContain('2025-01-10');
      expect(seen).toContain('r-20250110-0001');
      expect(seen).toMatch(/Attempts\W+3\b/);
      expect(seen).toContain('has 0 rows (min 1)');
    });

    it('names every failed asset', async () => {
      const message = sampleMessage();
      message.assets.push({ key: 'analytics.mau_summary', partition: null, attempts: 1, error: 'upstream failed' });
      await subject.send(message, (t) => t);
      const seen = subject.seen().at(-1) ?? '';
      expect(seen).toContain('analytics.temp_mau_summary');
      expect(seen).toContain('analytics.mau_summary');
      expect(seen).toContain('upstream failed');
    });

    it('never lets a token or password in an error reach the peer, in any encoding', async () => {
      const error =
        `login failed for password=${PASSWORD} with token ${TOKEN}; ` +
        `url=postgres://etl:${encodeURIComponent(PASSWORD)}@db.internal/dwh?x=${new URLSearchParams({ p: PASSWORD })}`;
      const message = sampleMessage({ assets: [{ key: 'x.leaky', partition: null, attempts: 2, error }] });
      await subject.send(message, redactor([PASSWORD, TOKEN]));
      const seen = subject.seen().at(-1) ?? '';
      const wire = subject.wire().at(-1) ?? '';
      expect(seen).toContain('login failed for password=***');
      expect(seen).toContain('etl:***@db.internal');
      for (const fragment of FRAGMENTS) {
        expect(seen).not.toContain(fragment);
        expect(wire).not.toContain(fragment);
      }
    });
  });
}
