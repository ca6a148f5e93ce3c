// Evaluates a selection AST to a membership mask (one byte per asset id) over the compact index.

import { SelectionError } from '../definitions/errors.js';
import { type GraphCore, reach } from './core.js';
import type { SelectionNode } from './selection-parse.js';
import { didYouMean } from './suggest.js';

/** What evaluation needs from a graph: its index and the members of each pipeline. */
export interface SelectionScope {
  readonly core: GraphCore;
  readonly pipelineNames: readonly string[];
  /** Members of a pipeline's own select; throws SelectionError when that select fails. */
  pipelineMask(name: string): Uint8Array;
}

/** A regular expression for a glob where `*` matches any characters, dots included. */
export function globRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

function matcher(value: string, glob: boolean): (candidate: string | undefined) => boolean {
  if (!glob) return (candidate) => candidate === value;
  const re = globRegExp(value);
  return (candidate) => candidate !== undefined && re.test(candidate);
}

type IndexedAttribute = 'tag' | 'group' | 'owner' | 'kind';

// Value → ids, built on the first query of an attribute: a project with many pipelines selecting by
// tag would otherwise scan every spec once per pipeline.
const attributeIndexes = new WeakMap<GraphCore, Map<IndexedAttribute, Map<string, number[]>>>();

function attributeIndex(core: GraphCore, name: IndexedAttribute): Map<string, number[]> {
  let perCore = attributeIndexes.get(core);
  if (!perCore) {
    perCore = new Map();
    attributeIndexes.set(core, perCore);
  }
  let index = perCore.get(name);
  if (index) return index;
  index = new Map();
  const add = (value: string | undefined, id: number) => {
    if (value === undefined) return;
    const ids = index!.get(value);
    if (ids) ids.push(id);
    else index!.set(value, [id]);
  };
  for (let i = 0; i < core.size; i++) {
    const spec = core.specs[i]!;
    if (name === 'tag') for (const tag of spec.tags) add(tag, i);
    else add(spec[name], i);
  }
  perCore.set(name, index);
  return index;
}

function byAttribute(core: GraphCore, name: IndexedAttribute, value: string, glob: boolean): Uint8Array {
  const mask = new Uint8Array(core.size);
  const index = attributeIndex(core, name);
  const match = matcher(value, glob);
  for (const [candidate, ids] of glob ? index : [[value, index.get(value) ?? []] as const]) {
    if (match(candidate)) for (const id of ids) mask[id] = 1;
  }
  return mask;
}

/** Ids whose key starts with `prefix`: a contiguous range, since ids are positions in sorted keys. */
function prefixRange(keys: readonly string[], prefix: string): [number, number] {
  const firstWhere = (test: (key: string) => boolean) => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (test(keys[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const begin = firstWhere((key) => key >= prefix);
  const end = firstWhere((key) => key >= prefix && !key.startsWith(prefix));
  return [begin, end];
}

function pipelines(scope: SelectionScope, value: string, glob: boolean): Uint8Array {
  const mask = new Uint8Array(scope.core.size);
  const match = matcher(value, glob);
  const names = scope.pipelineNames.filter((name) => match(name));
  if (names.length === 0 && !glob) {
    throw new SelectionError(`unknown pipeline "${value}"${didYouMean(value, scope.pipelineNames)}`);
  }
  for (const name of names) {
    const members = scope.pipelineMask(name);
    for (let i = 0; i < mask.length; i++) mask[i]! |= members[i]!;
  }
  return mask;
}

/**
 * The assets `node` selects, as a mask indexed by asset id. An exact key that names no asset throws
 * SelectionError with the nearest key; a glob or attribute that matches nothing just selects nothing.
 */
export function evaluate(scope: SelectionScope, node: SelectionNode): Uint8Array {
  const { core } = scope;
  switch (node.type) {
    case 'all':
      return new Uint8Array(core.size).fill(1);
    case 'key': {
      const id = core.ids.get(node.key);
      if (id === undefined) throw new SelectionError(`unknown asset "${node.key}"${didYouMean(node.key, core.keys)}`);
      const mask = new Uint8Array(core.size);
      mask[id] = 1;
      return mask;
    }
    case 'glob': {
      const re = globRegExp(node.pattern);
      const mask = new Uint8Array(core.size);
      const [begin, end] = prefixRange(core.keys, node.pattern.slice(0, node.pattern.indexOf('*')));
      for (let i = begin; i < end; i++) if (re.test(core.keys[i]!)) mask[i] = 1;
      return mask;
    }
    case 'attr':
      if (node.name === 'pipeline') return pipelines(scope, node.value, node.glob);
      return byAttribute(core, node.name, node.value, node.glob);
    case 'graph': {
      const start = evaluate(scope, node.of);
      const depth = (d: number | 'all') => (d === 'all' ? undefined : d);
      const up = node.upstream === undefined ? start : reach(core, start, 'up', depth(node.upstream));
      if (node.downstream === undefined) return up;
      const down = reach(core, start, 'down', depth(node.downstream));
      for (let i = 0; i < core.size; i++) down[i]! |= up[i]!;
      return down;
    }
    case 'not': {
      const inner = evaluate(scope, node.of);
      for (let i = 0; i < core.size; i++) inner[i]! ^= 1;
      return inner;
    }
    case 'and': {
      const [first, ...rest] = node.of.map((item) => evaluate(scope, item));
      for (const other of rest) for (let i = 0; i < core.size; i++) first![i]! &= other[i]!;
      return first!;
    }
    case 'or': {
      const [first, ...rest] = node.of.map((item) => evaluate(scope, item));
      for (const other of rest) for (let i = 0; i < core.size; i++) first![i]! |= other[i]!;
      return first!;
    }
  }
}
