// Graph validation messages: duplicate keys, references to unknown assets, and cycles, each naming files.

import { GraphError } from '../definitions/errors.js';
import type { AssetSpec } from '../definitions/schema.js';
import { ASSET_REFERENCES, type AssetEntry, type GraphCore, type UnknownDep } from './core.js';
import { didYouMean } from './suggest.js';

/** The most problems one error lists; past that the rest are counted, not printed. */
const MAX_LISTED = 20;

/** `file: asset "key": field: detail`, the shape DefinitionError uses, with absent parts left out. */
export function located(file: string | undefined, key: string, field: string, detail: string): string {
  return `${file ? `${file}: ` : ''}asset "${key}": ${field}: ${detail}`;
}

/** Throws one GraphError listing every problem found in a phase (there is at least one). */
export function throwProblems(problems: readonly string[]): never {
  if (problems.length === 1) throw new GraphError(problems[0]!);
  const listed = problems.slice(0, MAX_LISTED).map((p) => `  - ${p}`);
  if (problems.length > MAX_LISTED) listed.push(`  … and ${problems.length - MAX_LISTED} more`);
  throw new GraphError(`${problems.length} problems in the asset graph:\n${listed.join('\n')}`);
}

/** `duplicate asset key "k": declared in a.ts and in b.ts`, naming every place that declared it. */
export function duplicateProblem(group: readonly AssetEntry[]): string {
  const key = group[0]!.spec.key;
  const files = group.map((a) => a.file);
  if (files.every((f) => f === undefined)) return `duplicate asset key "${key}": declared ${group.length} times`;
  const distinct = [...new Set(files.map((f) => f ?? '(unknown file)'))];
  if (distinct.length === 1) return `duplicate asset key "${key}": declared ${group.length} times in ${distinct[0]}`;
  return `duplicate asset key "${key}": declared in ${distinct.join(' and in ')}`;
}

function unknownAsset(core: GraphCore, name: string): string {
  return `unknown asset "${name}"${didYouMean(name, core.keys)}`;
}

/** One line per dep that names no asset, with the nearest key when it looks like a typo. */
export function unknownDepProblems(core: GraphCore, unknown: readonly UnknownDep[]): string[] {
  return unknown.map(({ asset, dep }) => located(core.files[asset], core.keys[asset]!, 'deps', unknownAsset(core, dep)));
}

/**
 * Keys named outside `deps`: a swap's source (which must also be a dep, so it is built first), a
 * count-tolerance check's reference, an asset_materialized sensor's asset, and a ctas staging table —
 * which is a scratch table *instead of* an asset, so it must not overwrite one.
 */
export function referenceProblems(core: GraphCore): string[] {
  const problems: string[] = [];
  const { keys, specs, files, ids, flags } = core;
  for (let i = 0; i < specs.length; i++) {
    // Most assets name no other key outside deps; skip them without touching their specs again.
    if ((flags[i]! & ASSET_REFERENCES) === 0) continue;
    const spec: AssetSpec = specs[i]!;
    const at = (field: string, detail: string) => problems.push(located(files[i], keys[i]!, field, detail));
    const producer = spec.producer;
    if (producer?.type === 'swap') {
      if (!ids.has(producer.from)) at('swap.from', unknownAsset(core, producer.from));
      else if (!spec.deps.includes(producer.from)) {
        at('swap.from', `"${producer.from}" must also be listed in deps, so it is built before the swap`);
      }
    }
    if (producer?.type === 'ctas' && producer.staging !== undefined) {
      const other = ids.get(producer.staging);
      if (other === i) at('ctas.staging', 'must name a scratch table, not the asset itself');
      else if (other !== undefined) {
        const where = files[other] ? ` (${files[other]})` : '';
        at('ctas.staging', `"${producer.staging}" is an asset${where}; the staging table would overwrite it`);
      }
    }
    spec.checks.forEach((check, c) => {
      if (check.type === 'count_tolerance' && !ids.has(check.against)) {
        at(`checks.${c}.against`, unknownAsset(core, check.against));
      }
    });
    if (spec.sensor?.type === 'asset_materialized' && !ids.has(spec.sensor.asset)) {
      at('sensor.asset', unknownAsset(core, spec.sensor.asset));
    }
  }
  return problems;
}

/**
 * `dependency cycle (each feeds the next): a → b → c → a`, with each asset's file inline, or once in
 * front when the whole cycle lives in one file.
 */
export function cycleError(core: GraphCore, cycle: readonly number[]): GraphError {
  const keys = cycle.map((id) => core.keys[id]!);
  const files = new Set(cycle.map((id) => core.files[id]));
  const single = files.size === 1 ? [...files][0] : undefined;
  const path = cycle
    .map((id, i) => {
      const file = core.files[id];
      return single !== undefined || file === undefined || i === cycle.length - 1 ? keys[i] : `${keys[i]} (${file})`;
    })
    .join(' → ');
  return new GraphError(`${single ? `${single}: ` : ''}dependency cycle (each feeds the next): ${path}`, { cycle: keys });
}
