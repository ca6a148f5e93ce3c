// Which environment values are secrets, and a fast redactor that masks them (raw and URL-encoded) as '***'.

/** What every secret is replaced with. */
export const MASK = '***';

/** Values shorter than this are never treated as secrets: masking "abc" everywhere would garble every message. */
export const MIN_SECRET_LENGTH = 4;

// A variable whose name contains one of these words holds a secret as a whole value.
const SECRET_NAME = /TOKEN|PASSWORD|PASSWD|SECRET|KEY|PRIVATE|CREDENTIAL/i;

// Named by the seeds and the docs; listed so a future narrowing of SECRET_NAME cannot drop them.
const ALWAYS_SECRET = new Set(['SLACK_BOT_TOKEN', 'SLACK_API_TOKEN', 'SNOWFLAKE_PASSWORD']);

// Flags and placeholders that secret-looking names often hold (SSH_KEY_CHECKING=false); masking them would
// garble ordinary words in every message while protecting nothing.
const NOT_SECRET_VALUES = new Set(['true', 'false', 'null', 'none', 'undefined', 'unset']);

// scheme://user:password@host… — the password may hold '@' (greedy up to the last '@' before the path) but
// not '/', '?' or '#', which is how drivers split such URLs too. A password with a raw '/' makes the URL
// invalid, yet it must still not leak: the loose form, tried second, lets it run to the last '@' before '?'.
const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^/?#\s]*)@/i;
const URL_USERINFO_LOOSE = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^?#\s]*)@/i;

// Query parameters that carry credentials in connection strings (?password=…, ?sslpassword=…, ?access_token=…).
const SECRET_QUERY = /([?&](?:[a-z_]*password|passwd|pwd|[a-z_]*token|[a-z_]*secret|api_?key)=)[^&#\s]*/gi;

/** An environment to read: `process.env` or any plain record of the same shape. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The secret values in an environment: every variable whose name contains TOKEN, PASSWORD, PASSWD, SECRET,
 * KEY, PRIVATE or CREDENTIAL (plus SLACK_BOT_TOKEN, SLACK_API_TOKEN and SNOWFLAKE_PASSWORD explicitly), and
 * the password of any URL with credentials in it (DATABASE_URL, SMTP_URL, SLUICE_CONN_*, HTTPS_PROXY, …), in
 * both its written (percent-encoded) and decoded forms. Values shorter than {@link MIN_SECRET_LENGTH} and
 * plain flags (`true`, `false`, `none`) are left out. Sorted longest first, without duplicates.
 * @example
 * collectSecrets({ SLACK_BOT_TOKEN: 'xoxb-1-2', DATABASE_URL: 'postgres://me:p%40ss@db/x', HOME: '/root' })
 * // ['xoxb-1-2', 'p%40ss', 'p@ss']
 */
export function collectSecrets(env: Env = process.env): string[] {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (ALWAYS_SECRET.has(name.toUpperCase()) || SECRET_NAME.test(name)) found.add(value.trim());
    // Any value, whatever its name: proxies and connection strings hide passwords under innocent names.
    for (const password of urlPasswords(value)) found.add(password);
  }
  return sortLongestFirst([...found].filter(isMaskable));
}

/**
 * Builds a function that replaces every occurrence of the given secrets with '***' — also their
 * URL-encoded (`%40`, either hex case, and `+` for spaces) and JSON-escaped forms, which is how they show up
 * in URLs, form bodies and serialized errors. One regular expression is compiled once, longest secret first,
 * so a secret that contains another is masked whole. Secrets shorter than {@link MIN_SECRET_LENGTH} are
 * ignored; with none left the function returns its input unchanged.
 * @example
 * const redact = redactor(['hunter2!']);
 * redact('login hunter2! failed; retry with ?p=hunter2%21') // 'login *** failed; retry with ?p=***'
 */
export function redactor(secrets: Iterable<string>): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || !isMaskable(secret)) continue;
    for (const form of encodedForms(secret)) if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
  }
  if (forms.size === 0) return (text) => text;
  const pattern = new RegExp(
    sortLongestFirst([...forms])
      .map(toPattern)
      .join('|'),
    'g',
  );
  return (text) => (text.length < MIN_SECRET_LENGTH ? text : text.replace(pattern, MASK));
}

/**
 * A connection URL fit to display: the password in it, and any credential in its query string, replaced
 * by '***'. Text that is not such a URL comes back unchanged.
 * @example redactUrl('smtp://alerts:s3cret@mail.example.com:587') // 'smtp://alerts:***@mail.example.com:587'
 * @example redactUrl('postgres://me@db/x?sslpassword=k') // 'postgres://me@db/x?sslpassword=***'
 */
export function redactUrl(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  const userinfo = URL_USERINFO.test(url) ? URL_USERINFO : URL_USERINFO_LOOSE;
  return url.replace(userinfo, `$1:${MASK}@`).replace(SECRET_QUERY, `$1${MASK}`);
}

/** The password of a `scheme://user:password@host` URL as written and decoded, or nothing. */
function urlPasswords(value: string): string[] {
  const match = URL_USERINFO.exec(value.trim()) ?? URL_USERINFO_LOOSE.exec(value.trim());
  const written = match?.[2];
  if (!written) return [];
  let decoded = written;
  try {
    decoded = decodeURIComponent(written);
  } catch {
    // A lone '%' is not an escape: the password is what was written.
  }
  return decoded === written ? [written] : [written, decoded];
}

function isMaskable(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH && !NOT_SECRET_VALUES.has(value.toLowerCase());
}

// The ways a secret is spelled when it travels: as is, percent-encoded, form-encoded, inside a JSON string.
function encodedForms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ];
}

function sortLongestFirst(values: string[]): string[] {
  return values.sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

// Escapes regex syntax; percent escapes match either hex case (%2f as well as %2F).
function toPattern(form: string): string {
  return form
    .replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
    .replace(/%([0-9A-F])([0-9A-F])/g, (_, a: string, b: string) => `%${hexClass(a)}${hexClass(b)}`);
}

function hexClass(digit: string): string {
  return /[A-F]/.test(digit) ? `[${digit}${digit.toLowerCase()}]` : digit;
}
