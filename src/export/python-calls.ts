// Python call fragments that Prefect and Dagster write alike for shell and http producers.

import type { ProducerSpec } from '../definitions/index.js';
import { pyStr } from './python.js';

type Shell = Extract<ProducerSpec, { type: 'shell' }>;
type Http = Extract<ProducerSpec, { type: 'http' }>;

/**
 * `subprocess.run(["bash", "-c", …], check=True…)` with the producer's env (over the process's own) and
 * cwd; `text` turns a sluice template into a Python expression.
 * @example subprocessCall(producer, text, imports, ', timeout=60')
 */
export function subprocessCall(producer: Shell, text: (value: string) => string, imports: Set<string>, timeout: string): string {
  imports.add('import subprocess');
  let call = `subprocess.run(["bash", "-c", ${text(producer.command)}], check=True${timeout}`;
  const env = Object.entries(producer.env);
  if (env.length > 0) {
    imports.add('import os');
    call += `, env={**os.environ, ${env.map(([k, v]) => `${pyStr(k)}: ${text(v)}`).join(', ')}}`;
  }
  if (producer.cwd !== undefined) call += `, cwd=${text(producer.cwd)}`;
  return `${call})`;
}

/**
 * The request URL — resolved against `<RESOURCE>_BASE_URL` when the producer names an http resource —
 * and the header dict entries of an http producer.
 * @example const { url, headers } = httpTarget(producer, text, imports);
 */
export function httpTarget(
  producer: Http,
  text: (value: string) => string,
  imports: Set<string>,
): { url: string; headers: string[] } {
  let url = text(producer.url);
  if (producer.resource !== undefined) {
    imports.add('import os');
    url = `os.environ[${pyStr(`${producer.resource.toUpperCase()}_BASE_URL`)}].rstrip("/") + "/" + ${url}.lstrip("/")`;
  }
  return { url, headers: Object.entries(producer.headers).map(([k, v]) => `${pyStr(k)}: ${text(v)}`) };
}
