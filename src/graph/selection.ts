// Selecting assets: one grammar for CLI, API and browser (`+key`, `key+2`, globs, attributes, and/or/not).
//
// Grammar, loosest binding first:
//   selection := and (("or" | ",") and)*
//   and       := not ("and" not)*
//   not       := "not" not | traverse
//   traverse  := [DIGITS] "+"? primary ("+" [DIGITS])?     (`+x` all upstream, `2+x` two edges up)
//   primary   := "(" selection ")" | "*" | glob | key | "quoted key" | attr:value | attr:"quoted value"
// Keywords are case-insensitive; `*` in a key or value matches any characters, dots included.

import { SelectionError } from '../definitions/errors.js';
import { type LineageGraph, scopeOf } from './lineage-graph.js';
import { evaluate } from './selection-eval.js';
import { parseSelection } from './selection-parse.js';

export {
  parseSelection,
  type SelectionAttribute,
  type SelectionDepth,
  type SelectionNode,
  SelectionSyntaxError,
} from './selection-parse.js';

/** The selection as a mask by asset id; throws SelectionError when it selects nothing. Internal. */
export function selectMask(graph: LineageGraph, text: string): Uint8Array {
  const mask = evaluate(scopeOf(graph), parseSelection(text));
  if (!mask.includes(1)) throw new SelectionError(`selection "${text}" matches no assets`);
  return mask;
}

/**
 * The keys `text` selects, sorted. Throws SelectionError when it does not parse (with the column), names
 * an asset that does not exist (with the nearest key), or selects nothing.
 * @example
 * select(graph, '+analytics.mau_summary');          // the asset and everything upstream of it
 * select(graph, 'analytics.* and not tag:slow');     // a glob minus a tag
 * select(graph, '2+raw_data.sessions+1, group:sap'); // two edges up, one down, or the sap group
 */
export function select(graph: LineageGraph, text: string): string[] {
  const mask = selectMask(graph, text);
  const keys = scopeOf(graph).core.keys;
  const out: string[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1) out.push(keys[i]!);
  return out;
}
