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
  PipelineSensorSpec,
  PipelineSpec,
  ProducerSpec,
  RetryPolicy,
  ScheduleSpec,
  SensorSpec,
  TriggerCondition,
} from './definitions/schema.js';
export { type ExportedFile, type ExportInput, type ExportOptions, exportPipeline, type TargetName } from './export/index.js';
export { buildGraph, type GraphInput, type LineageGraph } from './graph/lineage-graph.js';
export { type PlanOptions, plan } from './graph/plan.js';
export type { Plan, PlanStep } from './graph/plan-types.js';
export { type LineageFormat, renderLineage } from './graph/render.js';
export { parseSelection, type SelectionNode, select } from './graph/selection.js';
export {
  defineConfig,
  type ResourceConfig,
  type SluiceConfig,
  type SluiceConfigInput,
  type StorageConfig,
} from './project/config.js';
export { loadProject, type Project } from './project/load.js';
export { collectSecrets, redactor } from './resources/secrets.js';
export { openWarehouse, type WarehouseConfig } from './resources/warehouse/index.js';
export type { Warehouse } from './resources/warehouse/types.js';
export { type Clock, realClock } from './runtime/clock.js';
export { CheckFailedError, LockedError, ResumeError } from './runtime/errors.js';
export { execute } from './runtime/execute.js';
export { ManualClock } from './runtime/manual-clock.js';
export { type FailureNotification, type Notifier, RecordingNotifier } from './runtime/notify.js';
export type { ExecuteOptions, RunResult, StepResult } from './runtime/options.js';
export { type Resources, staticResources } from './runtime/resources.js';
export { openRunStore, StoreUnavailableError } from './storage/index.js';
export type { DriveRow, RunEvent, RunRecord, RunStore } from './storage/types.js';
