// Which environment values count as secrets, how the redactor masks them, and URLs made fit to display.

import { describe, expect, it } from 'vitest';
import { collectSecrets, redactor, redactUrl } from '../../src/resources/secrets.js';

describe('collectSecrets', () => {
  it('takes variables with secret-looking names, and nothing else', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-1-2-3',
      SNOWFLAKE_PASSWORD: 'snow-pass',
      PGPASSWD: 'pg-pass',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      DEPLOY_PRIVATE: 'priv-value',
      GCP_CREDENTIALS: 'cred-value',
      api_key: 'lower-case-key',
      HOME: '/root',
      PATH: '/usr/bin:/bin',
      SLUICE_BASE_URL: 'https://sluice.example.com',
      EMAIL_RECIPIENTS: 'ops@example.com',
    };
    expect(collectSecrets(env).sort()).toEqual(
      ['xoxb-1-2-3', 'snow-pass', 'pg-pass', 'aws-secret', 'priv-value', 'cred-value', 'lower-case-key'].sort(),
    );
  });

  it('takes the password of connection URLs, as written and decoded', () => {
    const env = {
      DATABASE_URL: 'postgres://etl:p%40ss%2Fw0rd@db:5432/dwh',
      SMTP_URL: 'smtp://alerts:mail-pass@mail.example.com:587',
      SLUICE_CONN_SAP: 'https://sap-user:sap-pass@sap.example.com/api',
      HTTPS_PROXY: 'http://proxy-user:proxy-pass@proxy:3128',
      PUBLIC_URL: 'https://nobody@example.com/x',
    };
    expect(collectSecrets(env)).toEqual(['p%40ss%2Fw0rd', 'proxy-pass', 'mail-pass', 'p@ss/w0rd', 'sap-pass']);
  });

  it('ignores short values and plain flags, and lists each secret once, longest first', () => {
    const env = {
      A_TOKEN: 'abc',
      B_TOKEN: '',
      SSH_KEY_CHECKING: 'false',
      C_SECRET: 'same-value',
      D_SECRET: 'same-value',
      E_KEY: 'longer-value!',
    };
    expect(collectSecrets(env)).toEqual(['longer-value!', 'same-value']);
  });

  it('reads process.env by default', () => {
    process.env.SLUICE_TEST_ONLY_TOKEN = 'from-process-env';
    try {
      expect(collectSecrets()).toContain('from-process-env');
    } finally {
      delete process.env.SLUICE_TEST_ONLY_TOKEN;
    }
  });
});

describe('redactor', () => {
  it('masks every occurrence', () => {
    const redact = redactor(['hunter22']);
    expect(redact('pw=hunter22 again hunter22.')).toBe('pw=*** again ***.');
  });

  it('masks the longest secret whole when one contains another', () => {
    expect(redactor(['abcd', 'abcdefgh'])('x abcdefgh y abcd')).toBe('x *** y ***');
    expect(redactor(['abcdefgh', 'abcd'])('abcdefgh')).toBe('***');
  });

  it('masks URL-encoded, form-encoded and JSON-escaped forms', () => {
    const secret = 'p@ss w/rd"&';
    const redact = redactor([secret]);
    expect(redact(`postgres://u:${encodeURIComponent(secret)}@h/db`)).toBe('postgres://u:***@h/db');
    expect(redact(`postgres://u:${encodeURIComponent(secret).toLowerCase()}@h/db`)).toBe('postgres://u:***@h/db');
    expect(redact(`password=${new URLSearchParams({ p: secret }).toString().slice(2)}&x=1`)).toBe('password=***&x=1');
    expect(redact(JSON.stringify({ password: secret }))).toBe('{"password":"***"}');
  });

  it('treats regex syntax in secrets literally', () => {
    const redact = redactor(['a.b*c+(d)?[e]{2}|^$\\']);
    expect(redact('x a.b*c+(d)?[e]{2}|^$\\ y axbbbc')).toBe('x *** y axbbbc');
  });

  it('leaves text alone with no usable secrets', () => {
    const redact = redactor(['', 'ab', 'xyz']);
    expect(redact('ab xyz stays')).toBe('ab xyz stays');
  });

  it('is fast: 300 secrets over a megabyte in well under 100 ms', () => {
    const secrets = Array.from({ length: 300 }, (_, i) => `secret-${i}-${'q'.repeat(i % 17)}-end`);
    const redact = redactor(secrets);
    const text = `${'lorem ipsum dolor sit amet, consectetur adipiscing elit '.repeat(20)}${secrets[150]}\n`.repeat(1000);
    const started = performance.now();
    const out = redact(text);
    expect(performance.now() - started).toBeLessThan(100);
    expect(out).not.toContain(secrets[150]);
    expect(out.split('***')).toHaveLength(1001);
  });
});

describe('redactUrl', () => {
  it('masks the password and credential query parameters, keeping the rest', () => {
    expect(redactUrl('smtp://alerts:s3cret@mail.example.com:587')).toBe('smtp://alerts:***@mail.example.com:587');
    expect(redactUrl('postgres://me:p@ss@db/x?sslmode=require&sslpassword=k&application_name=a')).toBe(
      'postgres://me:***@db/x?sslmode=require&sslpassword=***&application_name=a',
    );
    expect(redactUrl('https://api.example.com/v1?access_token=abc&q=1')).toBe('https://api.example.com/v1?access_token=***&q=1');
    expect(redactUrl('smtp://u:raw/slash@host:25')).toBe('smtp://u:***@host:25');
  });

  it('leaves URLs without a password, and non-URLs, unchanged', () => {
    expect(redactUrl('postgres://me@db:5432/x')).toBe('postgres://me@db:5432/x');
    expect(redactUrl('https://example.com/a:b@c')).toBe('https://example.com/a:b@c');
    expect(redactUrl('not a url password=x')).toBe('not a url password=x');
  });
});
