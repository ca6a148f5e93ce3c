// The OpenLineage 2-0-2 object model, as far as sluice writes it: run and job events, jobs, datasets, facets.

/** The spec version every event names in `schemaURL`. */
export const OPENLINEAGE_SPEC = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';

/** Every facet carries who wrote it and the schema it follows (BaseFacet). */
export interface OpenLineageFacet {
  _producer: string;
  _schemaURL: string;
  [field: string]: unknown;
}

export type OpenLineageFacets = Record<string, OpenLineageFacet>;

export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: OpenLineageFacets;
  inputFacets?: OpenLineageFacets;
  outputFacets?: OpenLineageFacets;
}

export interface OpenLineageJob {
  namespace: string;
  name: string;
  facets?: OpenLineageFacets;
}

export type OpenLineageEventType = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';

/** A RunEvent: one observed state of one run of a job (here: one asset × partition within a sluice run). */
export interface OpenLineageRunEvent {
  eventType: OpenLineageEventType;
  eventTime: string;
  run: { runId: string; facets?: OpenLineageFacets };
  job: OpenLineageJob;
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
  producer: string;
  schemaURL: string;
}

/** A JobEvent: a job's design-time inputs and outputs, with no run (static lineage). */
export interface OpenLineageJobEvent {
  eventTime: string;
  job: OpenLineageJob;
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
  producer: string;
  schemaURL: string;
}
