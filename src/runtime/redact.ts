// Secret redaction: every message, log line, error and event payload passes through one of these.

/** Replaces secret values with '***'. */
export type Redactor = <T>(value: T) => T;

const MASK = '***';

/**
 * Builds a redactor for the given secret values (empty ones are ignored). Longer secrets are masked
 * first so a secret that contains another is masked whole. Objects and arrays are copied with every
 * string inside them redacted; other values pass through.
 * @example makeRedactor(['hunter2'])('password=hunter2') // 'password=***'
 */
export function makeRedactor(secrets: Iterable<string> = []): Redactor {
  const values = [...new Set([...secrets].filter((s) => typeof s === 'string' && s.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  if (values.length === 0) return <T>(value: T) => value;
  const pattern = new RegExp(values.map(escapeRegExp).join('|'), 'g');
  const text = (s: string) => (s.length === 0 ? s : s.replace(pattern, MASK));
  const deep = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value);
    if (depth > 20 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => deep(v, depth + 1));
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[text(k)] = deep(v, depth + 1);
    return out;
  };
  return <T>(value: T) => deep(value, 0) as T;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
