// The state of one execution, shared by the scheduler loop (execute.ts) and the step driver (step.ts).

import type { PartitionWindow } from '../definitions/context.js';
import type { RetryPolicy } from '../definitions/schema.js';
import type { PlanStep } from '../graph/plan-types.js';
import type { RunStore } from '../storage/types.js';
import type { FailureKind } from './classify.js';
import type { Clock } from './clock.js';
import type { EventSink } from './events.js';
import type { FailureNotification } from './notify.js';
import type { RunnableAsset } from './options.js';
import type { PartitionGate } from './partition-gate.js';
import type { ProducerRegistry } from './producers/types.js';
import type { Redactor } from './redact.js';
import type { Resources } from './resources.js';
import type { Slots } from './scheduler.js';
import type { StepStates } from './state.js';

/** One step and what happened to it so far. */
export interface StepInfo {
  index: number;
  step: PlanStep;
  asset: RunnableAsset;
  window: PartitionWindow | undefined;
  pool: string | undefined;
  retry: RetryPolicy;
  timeoutMs: number | undefined;
  /** Plan indexes of the steps in `after`. */
  upstream: number[];
  attempts: number;
  rowCount: number | null;
  value: unknown;
  error: string | null;
  kind: FailureKind | null;
  reason: string | null;
  reusedFrom: string | null;
  /** Failed only because another run held its lock. */
  locked: boolean;
}

export interface RunContext {
  runId: string;
  runStartedAt: number;
  pipelineName: string | null;
  partitions: string[];
  store: RunStore;
  clock: Clock;
  sink: EventSink;
  slots: Slots;
  /** Bounds lock requests in flight (to `concurrency`), in plan order, so a wide graph does not flood the store. */
  lockers: Slots;
  /** Present when the run bounds its partitions in flight (`maxPartitions`). */
  partitionGate: PartitionGate | undefined;
  states: StepStates;
  steps: StepInfo[];
  redact: Redactor;
  resources: Resources;
  producers: ProducerRegistry;
  runSignal: AbortSignal;
  onLocked: 'fail' | 'wait';
  lockPollMs: number;
  lockWaitTimeoutMs: number;
  /** Work that must finish before the run ends (step releases, notifications). */
  track(work: Promise<void>): void;
  /** Sends a notification in the background; failures are logged to the run. */
  notify(notification: FailureNotification): void;
  /** Something the run cannot go on without broke (the store): cancel everything, fail the run. */
  fatal(error: unknown): void;
}
