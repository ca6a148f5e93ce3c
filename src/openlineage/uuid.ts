// Deterministic run ids for OpenLineage: name-based UUIDs (RFC 9562 version 5) from sluice run ids.

import { createHash } from 'node:crypto';

/** The namespace every sluice-derived UUID is hashed under; fixed forever, or ids would change. */
const SLUICE_UUID_NAMESPACE = '9ec73619-c68e-4a0f-bde9-da9d335173a7';

const NAMESPACE_BYTES = Buffer.from(SLUICE_UUID_NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * A version-5 UUID for `name`: the same name always gives the same id, in every process.
 * @example uuidFromName('hello') === uuidFromName('hello') // true
 */
function uuidFromName(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The OpenLineage runId of one asset (× partition) within a sluice run, or of the whole sluice run when
 * `assetKey` is omitted (the parent of the asset runs). JSON-encoding the parts keeps `a.b` + `c` and
 * `a` + `b.c` apart.
 * @example openLineageRunId('20250110T060000000Z-3f9a1c', 'analytics.mau_summary') // '…-5…-…' (stable)
 */
export function openLineageRunId(runId: string, assetKey?: string, partition?: string): string {
  return uuidFromName(
    assetKey === undefined ? JSON.stringify(['run', runId]) : JSON.stringify(['asset', runId, assetKey, partition ?? '']),
  );
}
