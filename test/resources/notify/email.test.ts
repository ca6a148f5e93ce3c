// The e-mail notifier with the real nodemailer against the loopback SMTP peer: recipients, bodies, errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmailNotifier,
  createNotifier,
  type EmailNotifierOptions,
  NotifyError,
  resolveRecipients,
} from '../../../src/resources/notify/index.js';
import { type SmtpPeer, startSmtpPeer } from '../../fixtures/smtp-peer/index.js';
import { runNotifierContract } from './contract.js';
import { rejection, sampleMessage } from './support.js';

const SMTP_PASSWORD = 'smtp-Pa55/w0rd@relay';

runNotifierContract('email', async () => {
  const peer = await startSmtpPeer();
  return {
    send: (message, redact) =>
      createEmailNotifier({ to: ['ops@example.com'], env: { SMTP_URL: peer.url('sluice', 'pw-1234') }, redact }).send(message),
    seen: () => peer.messages.map((m) => `${m.subject}\n${m.text}\n${m.html}`),
    wire: () => peer.messages.map((m) => m.raw),
    close: () => peer.close(),
  };
});

describe('email notifier', () => {
  let peer: SmtpPeer;
  let env: Record<string, string>;
  beforeAll(async () => {
    peer = await startSmtpPeer({ users: { sluice: SMTP_PASSWORD } });
    env = { SMTP_URL: peer.url('sluice', SMTP_PASSWORD) };
  });
  afterAll(async () => {
    await peer.close();
  });

  const notifier = (extra: Partial<EmailNotifierOptions>) => createEmailNotifier({ env, ...extra });

  it('sends to the spec recipients, logged in with the URL credentials, from sluice@localhost', async () => {
    const delivery = await notifier({ to: ['ops@example.com', 'data@example.com'] }).send(sampleMessage());
    const got = peer.messages.at(-1)!;
    expect(got.envelope).toEqual({ from: 'sluice@localhost', to: ['ops@example.com', 'data@example.com'] });
    expect(got.to).toEqual(['ops@example.com', 'data@example.com']);
    expect(got.from).toBe('sluice@localhost');
    expect(got.auth).toEqual({ username: 'sluice', password: SMTP_PASSWORD });
    expect(got.subject).toBe('[sluice] run_elt_alert failed: analytics.temp_mau_summary');
    expect(got.headers.get('auto-submitted')).toBe('auto-generated');
    expect(delivery.accepted).toEqual(['ops@example.com', 'data@example.com']);
    expect(got.text).toContain('Pipeline run_elt_alert failed.');
    expect(got.text).toContain('Run:      r-20250110-0001');
    expect(got.text).toContain('Duration: 3 min 2 s');
    expect(got.text).toContain('  Partition: 2025-01-10\n  Attempts:  3\n  Error:\n    check row_count failed');
    expect(got.html).toContain('<td style="padding:2px 12px 2px 0;vertical-align:top">r-20250110-0001</td>');
  });

  it('reads recipients from the toEnv variable (commas and semicolons), merged with `to`', async () => {
    const env2 = { ...env, EMAIL_RECIPIENTS: ' a@example.com; b@example.com,, ops@example.com ' };
    await createEmailNotifier({ env: env2, to: ['ops@example.com'], toEnv: 'EMAIL_RECIPIENTS' }).send(sampleMessage());
    expect(peer.messages.at(-1)?.envelope.to).toEqual(['ops@example.com', 'a@example.com', 'b@example.com']);
  });

  it('uses SLUICE_EMAIL_FROM as the sender', async () => {
    await notifier({ to: ['ops@example.com'], env: { ...env, SLUICE_EMAIL_FROM: 'alerts@example.com' } }).send(sampleMessage());
    expect(peer.messages.at(-1)?.from).toBe('alerts@example.com');
  });

  it('escapes HTML in the HTML body and keeps the plain text verbatim', async () => {
    const error = 'syntax error near <script>alert("x")</script> & friends';
    await notifier({ to: ['ops@example.com'] }).send(
      sampleMessage({ assets: [{ key: 'a.b', partition: null, attempts: 1, error }] }),
    );
    const got = peer.messages.at(-1)!;
    expect(got.html).not.toContain('<script>');
    expect(got.html).toContain('syntax error near &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends');
    expect(got.text).toContain(error);
  });

  it('links the run only when SLUICE_BASE_URL is set', async () => {
    await notifier({ to: ['ops@example.com'] }).send(sampleMessage());
    expect(peer.messages.at(-1)?.text).not.toContain('/runs/');
    await notifier({ to: ['ops@example.com'], env: { ...env, SLUICE_BASE_URL: 'http://127.0.0.1:4000' } }).send(sampleMessage());
    const got = peer.messages.at(-1)!;
    expect(got.text).toContain('View run: http://127.0.0.1:4000/runs/r-20250110-0001');
    expect(got.html).toContain('<a href="http://127.0.0.1:4000/runs/r-20250110-0001">');
  });

  it('names the missing or malformed variable', async () => {
    const send = (options: EmailNotifierOptions) => rejection(createEmailNotifier(options).send(sampleMessage()));
    const noUrl = await send({ env: {}, to: ['ops@example.com'] });
    expect(noUrl).toBeInstanceOf(NotifyError);
    expect(noUrl.message).toBe(
      'email: cannot notify ops@example.com: SMTP_URL is not set; set it to smtp://user:password@host:port',
    );
    const badUrl = await send({ env: { SMTP_URL: `http://sluice:${SMTP_PASSWORD}@mail` }, to: ['ops@example.com'] });
    expect(badUrl.message).toBe('email: SMTP_URL must look like smtp://user:password@host:port, not http://sluice:***@mail');
    const noList = await send({ env, toEnv: 'EMAIL_RECIPIENTS' });
    expect(noList.message).toMatch(/^email: no recipients: EMAIL_RECIPIENTS is not set/);
    const badList = await send({
      env: { ...env, EMAIL_RECIPIENTS: 'ops@example.com, not-an-address' },
      toEnv: 'EMAIL_RECIPIENTS',
    });
    expect(badList.message).toBe('email: EMAIL_RECIPIENTS: "not-an-address" is not an e-mail address (expected name@domain)');
    expect(badList.code).toBe('missing_config');
  });

  it('reports a refused message or login without the SMTP password', async () => {
    peer.failNext(1, 'Message rejected by policy', 554);
    const refused = await rejection(notifier({ to: ['ops@example.com'] }).send(sampleMessage()));
    expect(refused).toBeInstanceOf(NotifyError);
    expect(refused.message).toMatch(
      /^email: sending to ops@example\.com via smtp:\/\/sluice:\*\*\*@127\.0\.0\.1:\d+ failed: .*554/,
    );
    const wrong = 'wrong-Pa55-word';
    const denied = await rejection(
      createEmailNotifier({ env: { SMTP_URL: peer.url('sluice', wrong) }, to: ['ops@example.com'] }).send(sampleMessage()),
    );
    expect(denied.code).toBe('EAUTH');
    for (const e of [refused, denied]) {
      const everything = `${e.message}${e.stack}${JSON.stringify(e)}`;
      expect(everything).not.toContain('Pa55');
      expect(everything).not.toContain(encodeURIComponent(SMTP_PASSWORD));
    }
  });

  it('masks the SMTP password in the message even when the redactor does not know it', async () => {
    const error = `relay said: bad credentials ${SMTP_PASSWORD}`;
    await notifier({ to: ['ops@example.com'] }).send(
      sampleMessage({ assets: [{ key: 'a.b', partition: null, attempts: 1, error }] }),
    );
    const got = peer.messages.at(-1)!;
    expect(got.text).toContain('relay said: bad credentials ***');
    expect(`${got.raw}${got.text}${got.html}`).not.toContain('w0rd');
  });

  it('is what createNotifier builds for an email spec, with the resource SMTP variable and sender', async () => {
    const spec = { type: 'email' as const, to: [], toEnv: 'EMAIL_RECIPIENTS', resource: 'mail' };
    await createNotifier(spec, {
      env: { RELAY_URL: env.SMTP_URL!, EMAIL_RECIPIENTS: 'dwh@example.com' },
      resources: { mail: { type: 'email', smtpUrlEnv: 'RELAY_URL', from: 'etl@example.com' } },
    }).send(sampleMessage());
    expect(peer.messages.at(-1)).toMatchObject({ from: 'etl@example.com', to: ['dwh@example.com'] });
  });
});

describe('resolveRecipients', () => {
  it('deduplicates and needs at least one address', () => {
    expect(resolveRecipients({ to: ['a@x.io', 'a@x.io'] }, {})).toEqual(['a@x.io']);
    expect(resolveRecipients({ to: ['a@x.io'], toEnv: 'UNSET' }, {})).toEqual(['a@x.io']);
    expect(() => resolveRecipients({}, {})).toThrow('email: no recipients: give `to` or `toEnv`');
    expect(() => resolveRecipients({ toEnv: 'R' }, { R: 'a@x.io\r\nBcc: evil@x.io' })).toThrow('is not an e-mail address');
  });
});
