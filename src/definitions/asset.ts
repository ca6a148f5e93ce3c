// asset() and sourceAsset(): validate what the user wrote and return a frozen definition.

import type { ProducerFn } from './context.js';
import type { DurationInput } from './duration.js';
import { DefinitionError } from './errors.js';
import type { Producer } from './producers.js';
import {
  type AssetSpec,
  type CheckInput,
  type NotificationInput,
  type PartitionsInput,
  producedAssetSpec,
  type RetryPolicyInput,
  type SensorInput,
  sourceAssetSpec,
  type TriggerCondition,
} from './schema.js';
import { deepFreeze, parseSpec } from './validate.js';

/** Marks definition objects; Symbol.for so two copies of sluice (src in tests, dist in the CLI) agree. */
export const DEFINITION = Symbol.for('sluice.definition');

/** An asset as declared: its serializable spec, plus the function of an `fn` producer. */
export interface AssetDefinition {
  readonly [DEFINITION]: 'asset';
  readonly key: string;
  readonly spec: AssetSpec;
  readonly run: ProducerFn | undefined;
}

/**
 * Filled in by `sluice types` (generated/asset-keys.ts augments it with `assetKey: 'a.b' | ...`), so a
 * misspelled dep key becomes a type error in the editor. Empty until then, and every string is allowed.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by generated code
export interface Register {}

/** The project's asset keys once `sluice types` has run; any string before that. */
export type AssetKeyName = Register extends { assetKey: infer K extends string } ? K : string;

/** A dep may be named by its definition (typed) or by its key. */
export type AssetRef = AssetDefinition | AssetKeyName;

interface CommonOptions {
  kind?: 'table' | 'file' | 'api' | 'value';
  description?: string;
  group?: string;
  owner?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  resource?: string;
  sensor?: SensorInput;
}

export interface SourceAssetOptions extends CommonOptions {
  checks?: CheckInput[];
}

export interface AssetOptions extends CommonOptions {
  deps?: AssetRef[];
  produce: Producer;
  retry?: RetryPolicyInput;
  timeout?: DurationInput;
  trigger?: TriggerCondition;
  pool?: string;
  checks?: CheckInput[];
  partitions?: PartitionsInput;
  dependsOnPast?: boolean;
  notify?: NotificationInput[];
}

function refKey(ref: AssetRef, owner: string, index: number): string {
  if (typeof ref === 'string') return ref;
  if (ref && typeof ref === 'object' && ref[DEFINITION] === 'asset') return ref.key;
  throw new DefinitionError('must be an asset key or an asset definition', { key: owner, field: `deps.${index}` });
}

function keyOf(key: unknown): string | undefined {
  return typeof key === 'string' ? key : undefined;
}

/**
 * Declares a dataset sluice produces.
 * @example
 * export const tempMau = asset('analytics.temp_mau_summary', {
 *   deps: [sessions, 'raw_data.user_session_channel'],
 *   produce: ctas({ sql: 'SELECT ...' }),
 *   checks: [checks.rowCount({ min: 1 })],
 *   retry: { maxAttempts: 3, delay: '60s', backoff: 'exponential' },
 * });
 */
export function asset(key: string, options: AssetOptions): AssetDefinition {
  if (!options || typeof options !== 'object') {
    throw new DefinitionError('asset() needs an options object with a `produce` field', { key: keyOf(key) });
  }
  const { deps = [], produce, ...rest } = options;
  if (!produce || typeof produce !== 'object') {
    throw new DefinitionError('is required: say how the asset is made, e.g. produce: ctas({ sql })', {
      key: keyOf(key),
      field: 'produce',
    });
  }
  const { run, ...producer } = produce;
  const spec: AssetSpec = parseSpec(
    producedAssetSpec,
    { key, source: false, ...rest, deps: deps.map((d, i) => refKey(d, key, i)), producer },
    keyOf(key),
  );
  if (spec.producer?.type === 'fn' && typeof run !== 'function') {
    throw new DefinitionError('an fn producer needs a function: fn(async (ctx) => ...)', { key, field: 'produce' });
  }
  return deepFreeze({ [DEFINITION]: 'asset' as const, key: spec.key, spec, run });
}

/**
 * Declares a dataset sluice reads but does not produce; a sensor may say when it is ready.
 * @example const sessions = sourceAsset('raw_data.session_timestamp', { kind: 'table' });
 */
export function sourceAsset(key: string, options: SourceAssetOptions = {}): AssetDefinition {
  const parsed = parseSpec(sourceAssetSpec, { key, source: true, ...options }, keyOf(key));
  const spec: AssetSpec = {
    ...parsed,
    deps: [],
    producer: null,
    trigger: 'all_success',
    dependsOnPast: false,
    notify: [],
  };
  return deepFreeze({ [DEFINITION]: 'asset' as const, key: spec.key, spec, run: undefined });
}

/** True for anything asset() or sourceAsset() returned, whichever copy of sluice made it. */
export function isAssetDefinition(value: unknown): value is AssetDefinition {
  return typeof value === 'object' && value !== null && (value as AssetDefinition)[DEFINITION] === 'asset';
}
