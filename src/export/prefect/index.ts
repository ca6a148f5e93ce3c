// The Prefect export target: one flow module per pipeline for Prefect 3.x, served with its cron schedule.

import { renderTemplate } from '../render.js';
import type { ExportTarget } from '../types.js';
import { buildPrefectViewModel, type PrefectViewModel } from './view-model.js';

export type { PrefectViewModel } from './view-model.js';

/**
 * Writes `<pipeline>.py`: tasks, the flow and `flow.serve(...)` under `if __name__ == "__main__"`.
 * @example const [module] = prefectTarget.render(prefectTarget.buildViewModel(input, {}));
 */
export const prefectTarget: ExportTarget<PrefectViewModel> = {
  name: 'prefect',
  buildViewModel: buildPrefectViewModel,
  render: (viewModel) => [{ path: viewModel.file, content: renderTemplate('prefect', 'flow.py', viewModel) }],
};
