// The export contract: what exporters read (ExportInput, ExportOptions) and what every target adapter implements.

import type { AssetSpec, PipelineSpec } from '../definitions/index.js';

/**
 * What an export reads: one pipeline and the assets it runs. `assets` holds the pipeline's selected assets plus
 * the source assets they depend on, in topological order with ties sorted by key (the graph layer builds it).
 * @example const input: ExportInput = { pipeline: runEltAlert.spec, assets: [sessions.spec, tempMau.spec, mau.spec] };
 */
export interface ExportInput {
  pipeline: PipelineSpec;
  assets: AssetSpec[];
  /**
   * The assets this pipeline's `asset_materialized` sensors watch (made by other pipelines). A target that maps the
   * sensor onto an upstream dataset or event reads the watched asset's key, kind and partitions from here.
   */
  sensorAssets?: AssetSpec[];
  /** Keys of this pipeline's assets that other pipelines' `asset_materialized` sensors watch. */
  watchedAssets?: string[];
}

/** The SQL dialect a resource speaks once exported; it decides CTAS, swap and timeout statements. */
export type SqlDialect = 'snowflake' | 'postgres';

/** How one sluice resource (e.g. `warehouse`) is reached from the target. */
export interface ResourceMapping {
  /** Defaults to 'snowflake'. */
  dialect?: SqlDialect;
  /** Airflow connection id, Prefect block name, Dagster resource key. Defaults to the resource name. */
  connectionId?: string;
}

/**
 * Knobs of an export. Everything has a default, so `{}` is a valid value.
 * @example exportPipeline('airflow', input, { airflowVersion: 3, resources: { dwh: { dialect: 'postgres' } } })
 */
export interface ExportOptions {
  /** Airflow major version to write for: 2 (2.9/2.10, the default) or 3 (`airflow.sdk`, Asset outlets). */
  airflowVersion?: 2 | 3;
  /** Where `sluice materialize` runs for `fn` producers; the SLUICE_PROJECT_DIR variable overrides it at run time. */
  projectDir?: string;
  /** Named in the header comment of every file; defaults to `pipeline "<name>"`. */
  sourceFile?: string;
  /** Per-resource dialect and connection id; resources not listed are Snowflake reached by their own name. */
  resources?: Record<string, ResourceMapping>;
}

/** One generated file; `path` is relative to the target's output folder. */
export interface ExportedFile {
  path: string;
  content: string;
}

/** The orchestrators sluice writes code for. */
export type TargetName = 'airflow' | 'prefect' | 'dagster';

/**
 * One export target: translate first (a typed view model with every value already a Python literal), then print.
 * @example const files = airflowTarget.render(airflowTarget.buildViewModel(input, {}));
 */
export interface ExportTarget<ViewModel> {
  readonly name: TargetName;
  buildViewModel(input: ExportInput, options: ExportOptions): ViewModel;
  render(viewModel: ViewModel): ExportedFile[];
}
