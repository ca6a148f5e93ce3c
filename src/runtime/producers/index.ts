// The producer registry: one runner per producer type, each in its own file.

import { runCtas } from './ctas.js';
import { runFn } from './fn.js';
import { runSql } from './sql.js';
import { runSwap } from './swap.js';
import type { ProducerRegistry } from './types.js';
import { unimplemented } from './unimplemented.js';

/**
 * The runners `execute` uses unless `producers` overrides some: fn, sql, ctas and swap run now;
 * shell, http, copy and trigger fail with a clear message until their issues land.
 * @example await execute({ ..., producers: { shell: runShell } });
 */
export const defaultProducers: ProducerRegistry = {
  fn: runFn,
  sql: runSql,
  ctas: runCtas,
  swap: runSwap,
  shell: unimplemented('shell'),
  http: unimplemented('http'),
  copy: unimplemented('copy'),
  trigger: unimplemented('trigger'),
};

export type { ProducerOutcome, ProducerRegistry, ProducerRunner, StepContext } from './types.js';
