// sluice's public API. Everything a project imports comes from here; this file only re-exports.

export {
  type AssetDefinition,
  type AssetKeyName,
  type AssetOptions,
  type AssetRef,
  asset,
  type Register,
  type SourceAssetOptions,
  sourceAsset,
} from './definitions/asset.js';
export type {
  MaterializeResult,
  PartitionWindow,
  ProducerContext,
  ProducerFn,
  ProducerLogger,
  SqlResource,
} from './definitions/context.js';
export { type DurationInput, formatDuration, parseDuration } from './definitions/duration.js';
export {
  DefinitionError,
  ExportError,
  GraphError,
  NonRetriableError,
  ProducerError,
  RetryAfterError,
  SelectionError,
  SluiceError,
} from './definitions/errors.js';
export { checkPartitionKey, partitionKeys, partitionRange, partitionWindow } from './definitions/partitions.js';
export { type PipelineDefinition, type PipelineOptions, pipeline } from './definitions/pipeline.js';
export { checks, email, sensors, slack } from './definitions/policies.js';
export { copy, ctas, fn, http, type Producer, shell, sql, swap, trigger } from './definitions/producers.js';
export { retryDelay, retrySchedule } from './definitions/retry.js';
export type {
  AssetKind,
  AssetSpec,
  CheckSpec,
  NotificationSpec,
  PartitionsSpec,
  PipelineSpec,
  ProducerSpec,
  RetryPolicy,
  ScheduleSpec,
  SensorSpec,
  TriggerCondition,
} from './definitions/schema.js';
export {
  defineConfig,
  type ResourceConfig,
  type SluiceConfig,
  type SluiceConfigInput,
  type StorageConfig,
} from './project/config.js';
