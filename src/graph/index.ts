// The graph layer's surface for the other layers of src (users import from src/index.ts).

export { type AssetEntry, buildGraph, type GraphInput, LineageGraph, type PipelineEntry } from './lineage-graph.js';
export { type PlanOptions, plan } from './plan.js';
export type { Plan, PlanStep } from './plan-types.js';
export { type LineageAsset, type LineageDocument, type LineageFormat, lineageDocument, renderLineage } from './render.js';
export {
  parseSelection,
  type SelectionAttribute,
  type SelectionDepth,
  type SelectionNode,
  SelectionSyntaxError,
  select,
} from './selection.js';
