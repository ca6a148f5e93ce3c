// The pipelines of a graph: each one's members, evaluated lazily from its own select, and validated once.

import { SelectionError } from '../definitions/errors.js';
import type { PipelineSpec } from '../definitions/schema.js';
import { evaluate, type SelectionScope } from './selection-eval.js';
import { parseSelection } from './selection-parse.js';
import { didYouMean } from './suggest.js';
import { throwProblems } from './validate.js';

/** A pipeline as handed to buildGraph: its spec, and the file that declared it when known. */
export interface PipelineEntry {
  spec: PipelineSpec;
  file?: string | undefined;
}

type State = Uint8Array | SelectionError;

/** Pipelines by name, with members computed on first use; `pipeline:x` inside a select may nest. */
export class PipelineTable {
  /** Sorted. */
  readonly names: readonly string[];
  private readonly entries = new Map<string, PipelineEntry>();
  private readonly states = new Map<string, State>();
  /** Pipelines being evaluated right now, outermost first: a repeat is a cycle of `pipeline:` references. */
  private readonly active: string[] = [];

  constructor(pipelines: readonly PipelineEntry[]) {
    const problems: string[] = [];
    for (const p of pipelines) {
      const seen = this.entries.get(p.spec.name);
      if (seen === undefined) this.entries.set(p.spec.name, p);
      else {
        const files = [seen.file ?? '(unknown file)', p.file ?? '(unknown file)'];
        problems.push(`duplicate pipeline "${p.spec.name}": declared in ${files.join(' and in ')}`);
      }
    }
    if (problems.length > 0) throwProblems(problems);
    this.names = [...this.entries.keys()].sort();
  }

  entry(name: string): PipelineEntry | undefined {
    return this.entries.get(name);
  }

  /** Members of `name`'s select; shared, so callers copy before changing it. */
  mask(scope: SelectionScope, name: string): Uint8Array {
    const state = this.states.get(name);
    if (state instanceof Uint8Array) return state;
    if (state !== undefined) {
      // Nested inside another pipeline's select, the inner failure is reported against the inner pipeline.
      if (this.active.length > 0) throw new SelectionError(`pipeline:${name}: that pipeline's own select fails`);
      throw state;
    }
    const at = this.active.indexOf(name);
    if (at !== -1) {
      throw new SelectionError(`pipelines select each other: ${[...this.active.slice(at), name].join(' → ')}`);
    }
    this.active.push(name);
    try {
      const mask = evaluate(scope, parseSelection(this.entries.get(name)!.spec.select));
      this.states.set(name, mask);
      return mask;
    } catch (error) {
      if (error instanceof SelectionError) this.states.set(name, error);
      throw error;
    } finally {
      this.active.pop();
    }
  }

  /**
   * Throws GraphError naming pipeline, file and field when a select does not parse, fails, or selects
   * nothing, or a sensor names an unknown pipeline or asset — or an asset of its own pipeline, whose
   * every run would trigger the next.
   */
  validate(scope: SelectionScope): void {
    const problems: string[] = [];
    for (const name of this.names) {
      const { spec, file } = this.entries.get(name)!;
      const where = (field: string) => `${file ? `${file}: ` : ''}pipeline "${name}": ${field}: `;
      let mask: Uint8Array | undefined;
      try {
        mask = this.mask(scope, name);
        if (!mask.includes(1)) problems.push(`${where('select')}"${spec.select}" matches no assets`);
      } catch (error) {
        if (!(error instanceof SelectionError)) throw error;
        problems.push(where('select') + error.message);
      }
      spec.sensors.forEach((sensor, i) => {
        const field = where(`sensors.${i}.${sensor.type === 'asset_materialized' ? 'asset' : 'pipeline'}`);
        if (sensor.type === 'external_run' && !this.entries.has(sensor.pipeline)) {
          problems.push(`${field}unknown pipeline "${sensor.pipeline}"${didYouMean(sensor.pipeline, this.names)}`);
        }
        if (sensor.type !== 'asset_materialized') return;
        const id = scope.core.ids.get(sensor.asset);
        if (id === undefined)
          problems.push(`${field}unknown asset "${sensor.asset}"${didYouMean(sensor.asset, scope.core.keys)}`);
        else if (mask?.[id] === 1) {
          problems.push(`${field}"${sensor.asset}" is in this pipeline, so each of its runs would trigger the next`);
        }
      });
    }
    if (problems.length > 0) throwProblems(problems);
  }
}
