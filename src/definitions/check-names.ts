// The names checks are reported under, shared by the runtime's outcomes and the exported check tasks.

import type { CheckSpec } from './schema.js';

/**
 * A check's display name: its `name`, else its type (plus what it compares with), made unique within the asset
 * with a `#2`, `#3` suffix. The runtime reports outcomes under these names and every export target names its
 * check tasks the same way, so a check reads alike in sluice and in the generated code.
 * @example checkNames([{ type: 'row_count', min: 1, blocking: true }]) // ['row_count']
 */
export function checkNames(checks: readonly CheckSpec[]): string[] {
  const seen = new Map<string, number>();
  return checks.map((c) => {
    const base =
      c.name ??
      (c.type === 'count_tolerance'
        ? `count_tolerance:${c.against}`
        : c.type === 'freshness' && c.column
          ? `freshness:${c.column}`
          : c.type);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}
