// Static lineage as OpenLineage JobEvents: what `sluice lineage --format openlineage` writes. Deterministic.

import type { LineageGraph } from '../graph/index.js';
import { OpenLineageModel, type OpenLineageOptions } from './model.js';
import { OPENLINEAGE_SPEC, type OpenLineageJobEvent } from './types.js';

/**
 * eventTime is required by the spec's BaseEvent, but a checked-in file must not change with the clock:
 * every static event carries the Unix epoch, which no real run can have, so consumers can tell design-time
 * lineage from observed runs.
 */
export const STATIC_EVENT_TIME = '1970-01-01T00:00:00.000Z';

/**
 * One JobEvent per produced asset among `keys` (sources are datasets, not jobs), sorted by key: the job
 * `<pipeline>.<key>` with its type, description and SQL, reading every dep and writing the asset.
 * @example lineageOpenLineageEvents(graph, graph.keys())[0].job.name // 'run_elt_alert.analytics.mau_summary'
 */
export function lineageOpenLineageEvents(
  graph: LineageGraph,
  keys: string | Iterable<string>,
  options: Omit<OpenLineageOptions, 'graph'> = {},
): OpenLineageJobEvent[] {
  const model = new OpenLineageModel({ ...options, graph });
  const list = [...new Set(typeof keys === 'string' ? [keys] : keys)].sort();
  const events: OpenLineageJobEvent[] = [];
  for (const key of list) {
    const spec = graph.asset(key);
    if (spec.source) continue;
    events.push({
      eventTime: STATIC_EVENT_TIME,
      job: model.job(spec),
      inputs: spec.deps.map((d) => model.dataset(d)),
      outputs: [model.dataset(key)],
      producer: model.producer,
      schemaURL: `${OPENLINEAGE_SPEC}#/$defs/JobEvent`,
    });
  }
  return events;
}

/**
 * The static lineage of `keys` as OpenLineage JSON text (an array of JobEvents, two-space indented, with a
 * trailing newline): byte-identical for the same definitions, since nothing in it depends on the clock.
 * Dataset namespaces are `<resource type>://<resource name>` when `resourceTypes` names the type, else
 * `sluice://<resource name>`.
 * @example writeFileSync('lineage/openlineage.json', lineageOpenLineage(graph, graph.keys()));
 */
export function lineageOpenLineage(
  graph: LineageGraph,
  keys: string | Iterable<string>,
  options: Omit<OpenLineageOptions, 'graph'> = {},
): string {
  return `${JSON.stringify(lineageOpenLineageEvents(graph, keys, options), null, 2)}\n`;
}
