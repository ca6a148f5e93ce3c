// A pipeline's own sensors in Prefect: deployment triggers on events, and the events sluice assets announce.

import { ExportError } from '../../definitions/index.js';
import { type PipelineModel, sensorError } from '../model.js';
import { pyListBlock, pyStr } from '../python.js';

/** The event a task emits after it materialized an asset that another pipeline's sensor watches. */
export const MATERIALIZED_EVENT = 'sluice.asset.materialized';

/** The Prefect resource id standing for a sluice asset in events. */
export const assetResource = (key: string) => `sluice.asset.${key}`;

/**
 * The line a task ends with when other pipelines watch its asset: a custom event naming the asset and, for a
 * partitioned pipeline, the partition it wrote (the triggered deployment runs that partition).
 */
export function emitLine(model: PipelineModel, key: string, imports: Set<string>): string {
  imports.add('from prefect.events import emit_event');
  const resource = `{"prefect.resource.id": ${pyStr(assetResource(key))}, "prefect.resource.name": ${pyStr(key)}}`;
  const partition = model.partitions ? 'partition_key' : '""';
  return `emit_event(event=${pyStr(MATERIALIZED_EVENT)}, resource=${resource}, payload={"partition_key": ${partition}, "run_id": run_id})`;
}

/**
 * `DeploymentEventTrigger`s for `flow.serve(triggers=...)`, or undefined without sensors. Sensors Prefect has no
 * event for fail the export: a served deployment must not start on anything other than what starts sluice's run.
 */
export function serveTriggers(model: PipelineModel, imports: Set<string>): string | undefined {
  const { pipeline, partitions } = model;
  if (pipeline.sensors.length === 0) return undefined;
  const triggers: string[] = [];
  for (const sensor of pipeline.sensors) {
    switch (sensor.type) {
      case 'file':
      case 'sql':
        throw sensorError(
          model,
          sensor,
          `Prefect emits no event when a ${sensor.type === 'file' ? 'file changes' : 'query returns a new row'}; give the pipeline a schedule and put the ${sensor.type} sensor on a source asset, where the flow polls it`,
        );
      case 'external_run':
        if (partitions) {
          throw sensorError(
            model,
            sensor,
            `a completed flow run's event does not say which partition "${sensor.pipeline}" ran, so Prefect cannot run the window sluice would; start it with a schedule and an external_run sensor on a source asset instead`,
          );
        }
        // Every completed run of the other flow, as sluice launches once per succeeded run of it.
        triggers.push(
          `DeploymentEventTrigger(expect={"prefect.flow-run.Completed"}, match_related={"prefect.resource.role": "flow", "prefect.resource.name": ${pyStr(sensor.pipeline)}})`,
        );
        break;
      case 'asset_materialized': {
        let parameters = '';
        if (partitions) {
          const upstream = model.sensorAssets.get(sensor.asset);
          if (!upstream) {
            throw new ExportError(
              'prefect',
              `sensors.${sensor.name}`,
              undefined,
              `pipeline "${pipeline.name}": asset_materialized sensor "${sensor.name}": pass the spec of "${sensor.asset}" in ExportInput.sensorAssets, so the export knows whether its partitions are this pipeline's`,
            );
          }
          // sluice runs the upstream partition when it is one of this pipeline's, else the newest window, which
          // is what the flow computes when it gets no partition_key.
          if (upstream.partitions?.granularity === partitions.granularity)
            parameters = ', parameters={"partition_key": "{{ event.payload.partition_key }}"}';
        }
        triggers.push(
          `DeploymentEventTrigger(expect={${pyStr(MATERIALIZED_EVENT)}}, match={"prefect.resource.id": ${pyStr(assetResource(sensor.asset))}}${parameters})`,
        );
      }
    }
  }
  imports.add('from prefect.events import DeploymentEventTrigger');
  return pyListBlock(triggers, 8);
}
