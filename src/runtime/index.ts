// The runtime layer's surface for the other layers (schedule, cli, server); users import from src/index.ts.

export { TEMPLATE_VARIABLES } from '../definitions/templates.js';
export { classifyError, decideRetry, type FailureKind, NO_RETRY, type RetryDecision } from './classify.js';
export { type Clock, realClock, timeScale } from './clock.js';
export { AttemptTimeoutError, CheckFailedError, LockedError, ResumeError, RunCancelledError } from './errors.js';
export { execute } from './execute.js';
export { lockName } from './locks.js';
export { ManualClock, type ManualClockOptions } from './manual-clock.js';
export { type FailedAsset, type FailureNotification, type Notifier, RecordingNotifier } from './notify.js';
export type { ExecuteOptions, RunnableAsset, RunPipeline, RunResult, StepResult } from './options.js';
export {
  graphPlanner,
  type PipelinePlanner,
  type PipelineRunner,
  type PipelineRunRequest,
  type PlannedPipeline,
  pipelineRunner,
  type StartedRun,
} from './pipeline-runner.js';
export { defaultProducers } from './producers/index.js';
export { TriggeredRunFailedError, triggerRunner } from './producers/trigger.js';
export type { ProducerOutcome, ProducerRegistry, ProducerRunner, StepContext } from './producers/types.js';
export { makeRedactor, type Redactor } from './redact.js';
export { type Resources, staticResources } from './resources.js';
export { loadResumePoint, type ResumePoint, resumableRun } from './resume.js';
export { newRunId } from './run-id.js';
export { SensorTimeoutError } from './sensors.js';
export { renderTemplate } from './template.js';
