// Dagster names for sluice keys: asset key paths, job and check names, all valid Dagster names.

import { PY_RESERVED, pyList, pyStr } from '../python.js';
import type { DagsterBuild } from './assets.js';

// Dagster turns key parts into op and check names, which must match ^[A-Za-z0-9_]+$ and not be Python keywords.
const safePart = (part: string) => {
  const name = part.replace(/[^A-Za-z0-9_]+/g, '_') || '_';
  return PY_RESERVED.has(name) ? `${name}_` : name;
};

/** A Dagster name (job, check) for any text. @example dagsterName('wf-main') // 'wf_main' */
export function dagsterName(text: string): string {
  return safePart(text);
}

/** The Dagster key path of a sluice key: dotted parts made valid names, unique within the file. */
export function dagsterKey(b: DagsterBuild, key: string): string[] {
  const known = b.keys.get(key);
  if (known) return known;
  const parts = key.split('.').map(safePart);
  const last = parts.length - 1;
  const base = parts[last] as string;
  for (let n = 2; b.keyPaths.has(parts.join('/')); n++) parts[last] = `${base}_${n}`;
  b.keys.set(key, parts);
  b.keyPaths.add(parts.join('/'));
  return parts;
}

/** `dg.AssetKey([...])` for a sluice key. */
export function assetKeyExpr(b: DagsterBuild, key: string): string {
  return `dg.AssetKey(${pyList(dagsterKey(b, key).map((p) => pyStr(p)))})`;
}
