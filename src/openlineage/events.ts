// Run events → OpenLineage RunEvents: START when an asset's first attempt starts, then COMPLETE or FAIL.

import { partitionWindow } from '../definitions/partitions.js';
import type { RunEvent } from '../storage/types.js';
import { OpenLineageModel, type OpenLineageOptions } from './model.js';
import { OPENLINEAGE_SPEC, type OpenLineageEventType, type OpenLineageFacets, type OpenLineageRunEvent } from './types.js';
import { openLineageRunId } from './uuid.js';

const EVENT_TYPE: Partial<Record<RunEvent['type'], OpenLineageEventType>> = {
  asset_started: 'START',
  asset_succeeded: 'COMPLETE',
  asset_failed: 'FAIL',
};

/** The run an event belongs to, as far as OpenLineage names it. */
export interface OpenLineageRunInfo {
  /** The run's pipeline; null or undefined for an ad-hoc selection. */
  pipeline?: string | null | undefined;
}

/**
 * Translates one sluice run's events, in order, into OpenLineage RunEvents. Stateful: it remembers which
 * asset runs have started, so retries do not emit a second START and an asset that failed before it
 * ever started (a held lock, a cancelled run) emits nothing — OpenLineage expects one START and then one
 * COMPLETE or FAIL per run. Source assets are datasets, not jobs: their observations emit nothing.
 * @example
 * const t = new OpenLineageTranslator({ graph });
 * const out = events.flatMap((e) => t.translate(e, { pipeline: 'run_elt_alert' }) ?? []);
 */
export class OpenLineageTranslator {
  readonly model: OpenLineageModel;
  readonly #started = new Set<string>();

  constructor(options: OpenLineageOptions | OpenLineageModel) {
    this.model = options instanceof OpenLineageModel ? options : new OpenLineageModel(options);
  }

  translate(event: RunEvent, run: OpenLineageRunInfo = {}): OpenLineageRunEvent | undefined {
    const eventType = EVENT_TYPE[event.type];
    const key = event.assetKey;
    if (!eventType || key === undefined || !this.model.graph.has(key)) return undefined;
    const spec = this.model.graph.asset(key);
    if (spec.source) return undefined;
    const partition = event.partition ?? '';
    const id = JSON.stringify([event.runId, key, partition]);
    if (eventType === 'START') {
      if (this.#started.has(id)) return undefined;
      this.#started.add(id);
    } else if (!this.#started.delete(id)) {
      return undefined;
    }
    const model = this.model;
    const pipeline = run.pipeline ?? null;
    const runFacets: OpenLineageFacets = { parent: model.parentFacet(openLineageRunId(event.runId), pipeline) };
    const window = partition && spec.partitions ? partitionWindow(spec.partitions, partition) : undefined;
    if (window) runFacets.nominalTime = model.nominalTimeFacet(window.start, window.end);
    if (eventType === 'FAIL') runFacets.errorMessage = model.errorFacet(event.message ?? 'failed');
    const output = model.dataset(key);
    const rowCount = event.data?.rowCount;
    if (eventType === 'COMPLETE' && typeof rowCount === 'number' && Number.isInteger(rowCount)) {
      output.outputFacets = { outputStatistics: model.outputStatisticsFacet(rowCount) };
    }
    return {
      eventType,
      eventTime: event.at,
      run: { runId: openLineageRunId(event.runId, key, partition), facets: runFacets },
      job: model.job(spec, pipeline),
      inputs: spec.deps.filter((d) => model.graph.has(d)).map((d) => model.dataset(d)),
      outputs: [output],
      producer: model.producer,
      schemaURL: `${OPENLINEAGE_SPEC}#/$defs/RunEvent`,
    };
  }
}

/**
 * Every OpenLineage RunEvent of one recorded run, from its stored events (what /api/runs/:id/openlineage
 * serves, and what the emitter sent while it ran).
 * @example runOpenLineageEvents({ graph }, await store.getRun(id), await store.events(id))
 */
export function runOpenLineageEvents(
  options: OpenLineageOptions | OpenLineageModel,
  run: OpenLineageRunInfo,
  events: readonly RunEvent[],
): OpenLineageRunEvent[] {
  const translator = new OpenLineageTranslator(options);
  const out: OpenLineageRunEvent[] = [];
  for (const event of events) {
    const translated = translator.translate(event, run);
    if (translated) out.push(translated);
  }
  return out;
}
