// The Airflow export target: a DAG file per pipeline for Airflow 2.9/2.10, or Airflow 3 with `airflowVersion: 3`.

import { renderTemplate } from '../render.js';
import type { ExportTarget } from '../types.js';
import { type AirflowViewModel, buildAirflowViewModel } from './view-model.js';

export type { AirflowViewModel } from './view-model.js';

/**
 * Writes one DAG module per pipeline (`<pipeline>.py`), dropped into Airflow's dags folder as is.
 * @example const [dag] = airflowTarget.render(airflowTarget.buildViewModel(input, { airflowVersion: 3 }));
 */
export const airflowTarget: ExportTarget<AirflowViewModel> = {
  name: 'airflow',
  buildViewModel: buildAirflowViewModel,
  render: (viewModel) => [{ path: viewModel.file, content: renderTemplate('airflow', 'dag.py', viewModel) }],
};
