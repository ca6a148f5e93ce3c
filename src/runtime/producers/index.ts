// The producer registry: one runner per producer type, each in its own file.

import { runCopy } from './copy.js';
import { runCtas } from './ctas.js';
import { runFn } from './fn.js';
import { runHttp } from './http.js';
import { runShell } from './shell.js';
import { runSql } from './sql.js';
import { runSwap } from './swap.js';
import type { ProducerRegistry } from './types.js';
import { unimplemented } from './unimplemented.js';

/**
 * The runners `execute` uses unless `producers` overrides some. A trigger starts runs of other pipelines,
 * which needs the project's graph that execute() does not have, so its placeholder fails clearly and
 * pipelineRunner().producers supplies the real one.
 * @example await execute({ ..., producers: { shell: myShellRunner } });
 */
export const defaultProducers: ProducerRegistry = {
  fn: runFn,
  sql: runSql,
  ctas: runCtas,
  swap: runSwap,
  shell: runShell,
  http: runHttp,
  copy: runCopy,
  trigger: unimplemented('trigger'),
};

export type { ProducerOutcome, ProducerRegistry, ProducerRunner, StepContext } from './types.js';
