// The Dagster export target: one code-location module per pipeline with a `defs = dg.Definitions(...)`.

import { renderTemplate } from '../render.js';
import type { ExportTarget } from '../types.js';
import { buildDagsterViewModel, type DagsterViewModel } from './view-model.js';

export type { DagsterViewModel } from './view-model.js';

/**
 * Writes `<pipeline>.py`, loadable with `dagster dev -f <pipeline>.py`.
 * @example const [module] = dagsterTarget.render(dagsterTarget.buildViewModel(input, {}));
 */
export const dagsterTarget: ExportTarget<DagsterViewModel> = {
  name: 'dagster',
  buildViewModel: buildDagsterViewModel,
  render: (viewModel) => [{ path: viewModel.file, content: renderTemplate('dagster', 'definitions.py', viewModel) }],
};
