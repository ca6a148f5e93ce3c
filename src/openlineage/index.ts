// OpenLineage for sluice: run events as RunEvents (live emitter, per-run API), static lineage as JobEvents.

export { type OpenLineageEmitter, type OpenLineageEmitterOptions, openLineageEmitter, openLineageFromEnv } from './emitter.js';
export { type OpenLineageRunInfo, OpenLineageTranslator, runOpenLineageEvents } from './events.js';
export { OpenLineageModel, type OpenLineageOptions, resourceTypesOf, SLUICE_PRODUCER } from './model.js';
export { lineageOpenLineage, lineageOpenLineageEvents, STATIC_EVENT_TIME } from './static.js';
export * from './types.js';
export { openLineageRunId } from './uuid.js';
