// Turning asset specs into OpenLineage jobs and datasets: names, namespaces and facets. Pure and deterministic.

import type { AssetSpec } from '../definitions/schema.js';
import type { LineageGraph } from '../graph/index.js';
import type { OpenLineageDataset, OpenLineageFacet, OpenLineageFacets, OpenLineageJob } from './types.js';

/** Names sluice in every event's `producer` and every facet's `_producer` (a URN: sluice has no home page). */
export const SLUICE_PRODUCER = 'urn:sluice:0.1.0';

const FACETS = 'https://openlineage.io/spec/facets';
const SCHEMA = {
  jobType: `${FACETS}/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet`,
  documentationJob: `${FACETS}/1-0-1/DocumentationJobFacet.json#/$defs/DocumentationJobFacet`,
  sql: `${FACETS}/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet`,
  documentationDataset: `${FACETS}/1-0-1/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet`,
  dataSource: `${FACETS}/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet`,
  parent: `${FACETS}/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet`,
  nominalTime: `${FACETS}/1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet`,
  errorMessage: `${FACETS}/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet`,
  outputStatistics: `${FACETS}/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet`,
} as const;

/** How assets become OpenLineage jobs and datasets. */
export interface OpenLineageOptions {
  graph: LineageGraph;
  /** Job namespace. Default 'sluice'. */
  namespace?: string | undefined;
  /** Jobs are named `<pipeline>.<asset key>`; an asset in no pipeline uses this name. Default 'project'. */
  project?: string | undefined;
  /** Resource name → type (`duckdb`, `postgres`, `snowflake`, …), the scheme of dataset namespaces. */
  resourceTypes?: Readonly<Record<string, string>> | undefined;
  /** Overrides SLUICE_PRODUCER. */
  producer?: string | undefined;
}

/**
 * `resourceTypes` from a project's configured resources.
 * @example resourceTypesOf(project.config.resources) // { warehouse: 'duckdb', slack: 'slack' }
 */
export function resourceTypesOf(resources: Readonly<Record<string, { type: string }>>): Record<string, string> {
  return Object.fromEntries(Object.entries(resources).map(([name, r]) => [name, r.type]));
}

/** OpenLineageOptions with defaults applied and each asset's first pipeline looked up once. */
export class OpenLineageModel {
  readonly namespace: string;
  readonly project: string;
  readonly producer: string;
  readonly graph: LineageGraph;
  readonly #types: Readonly<Record<string, string>>;
  #pipelineOf: Map<string, string> | undefined;

  constructor(options: OpenLineageOptions) {
    this.graph = options.graph;
    this.namespace = options.namespace ?? 'sluice';
    this.project = options.project ?? 'project';
    this.producer = options.producer ?? SLUICE_PRODUCER;
    this.#types = options.resourceTypes ?? {};
  }

  facet(schemaURL: string, fields: Record<string, unknown>): OpenLineageFacet {
    return { _producer: this.producer, _schemaURL: schemaURL, ...fields };
  }

  /** The first pipeline (by name) that selects `key`. */
  pipelineOf(key: string): string | undefined {
    if (!this.#pipelineOf) {
      this.#pipelineOf = new Map();
      for (const p of this.graph.pipelines()) {
        for (const k of this.graph.pipelineAssets(p.name)) if (!this.#pipelineOf.has(k)) this.#pipelineOf.set(k, p.name);
      }
    }
    return this.#pipelineOf.get(key);
  }

  /** `<pipeline>.<key>`: the run's pipeline when it has one, else the asset's first pipeline, else the project. */
  jobName(key: string, pipeline?: string | null): string {
    return `${pipeline ?? this.pipelineOf(key) ?? this.project}.${key}`;
  }

  /** The job that produces `key`, with its type, description and SQL. */
  job(spec: AssetSpec, pipeline?: string | null): OpenLineageJob {
    const facets: OpenLineageFacets = {
      jobType: this.facet(SCHEMA.jobType, { processingType: 'BATCH', integration: 'SLUICE', jobType: 'ASSET' }),
    };
    if (spec.description) facets.documentation = this.facet(SCHEMA.documentationJob, { description: spec.description });
    const producer = spec.producer;
    if (producer && (producer.type === 'sql' || producer.type === 'ctas'))
      facets.sql = this.facet(SCHEMA.sql, { query: producer.sql });
    return { namespace: this.namespace, name: this.jobName(spec.key, pipeline), facets };
  }

  /** The parent job of asset runs: the pipeline, or the project for ad-hoc selections. */
  parentJob(pipeline?: string | null): { namespace: string; name: string } {
    return { namespace: this.namespace, name: pipeline ?? this.project };
  }

  /**
   * The resource that holds an asset: its producer's, else the asset's own, else `warehouse` for tables
   * and the kind for the rest. Names only: connection details may hold secrets and differ per machine.
   */
  resourceOf(spec: AssetSpec): string {
    const producer = spec.producer as { resource?: string } | null;
    return producer?.resource ?? spec.resource ?? (spec.kind === 'table' ? 'warehouse' : spec.kind);
  }

  /** The dataset of `key`: namespace `<resource type>://<resource name>`, name the asset key. */
  dataset(key: string): OpenLineageDataset {
    const spec = this.graph.asset(key);
    const resource = this.resourceOf(spec);
    const namespace = `${this.#types[resource] ?? 'sluice'}://${resource}`;
    const facets: OpenLineageFacets = { dataSource: this.facet(SCHEMA.dataSource, { name: resource, uri: namespace }) };
    if (spec.description) facets.documentation = this.facet(SCHEMA.documentationDataset, { description: spec.description });
    return { namespace, name: key, facets };
  }

  parentFacet(parentRunId: string, pipeline?: string | null): OpenLineageFacet {
    return this.facet(SCHEMA.parent, { run: { runId: parentRunId }, job: this.parentJob(pipeline) });
  }

  nominalTimeFacet(start: Date, end: Date): OpenLineageFacet {
    return this.facet(SCHEMA.nominalTime, { nominalStartTime: start.toISOString(), nominalEndTime: end.toISOString() });
  }

  errorFacet(message: string): OpenLineageFacet {
    return this.facet(SCHEMA.errorMessage, { message, programmingLanguage: 'TypeScript' });
  }

  outputStatisticsFacet(rowCount: number): OpenLineageFacet {
    return this.facet(SCHEMA.outputStatistics, { rowCount });
  }
}
