// Sends a run's OpenLineage events to a collector (OPENLINEAGE_URL) as they happen, in order, never failing the run.

import type { RunEvent } from '../storage/types.js';
import { OpenLineageTranslator } from './events.js';
import type { OpenLineageOptions } from './model.js';
import type { OpenLineageRunEvent } from './types.js';

/** Where and how to send, besides how to name jobs and datasets. */
export interface OpenLineageEmitterOptions extends OpenLineageOptions {
  /** The collector's base URL, e.g. http://127.0.0.1:5000 (Marquez). */
  url: string;
  /** Path under `url`. Default 'api/v1/lineage', the OpenLineage HTTP transport's default. */
  endpoint?: string | undefined;
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: string | undefined;
  /** The run's pipeline (job names and the parent facet use it); omit for an ad-hoc selection. */
  pipeline?: string | undefined;
  /** Per request. Default 5 s. */
  timeoutMs?: number | undefined;
  /** Told about each failed delivery; the run goes on either way. */
  onError?: ((message: string) => void) | undefined;
  fetch?: typeof fetch | undefined;
}

/** What the executor's onEvent feeds; flush() before the process exits. */
export interface OpenLineageEmitter {
  onEvent(event: RunEvent): void;
  /** Resolves when every event handed over so far was delivered or given up on. */
  flush(): Promise<void>;
  readonly sent: number;
  readonly failed: number;
}

/** The collector URL without user info, for messages. */
function shown(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * An emitter posting each OpenLineage RunEvent (START / COMPLETE / FAIL per asset) to the collector, one
 * request at a time so START always arrives before COMPLETE. Delivery problems go to `onError`.
 * @example
 * const lineage = openLineageEmitter({ graph, url: 'http://127.0.0.1:5000', pipeline: 'run_elt_alert' });
 * await execute({ …, onEvent: (e) => lineage.onEvent(e) });
 * await lineage.flush();
 */
export function openLineageEmitter(options: OpenLineageEmitterOptions): OpenLineageEmitter {
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const target = new URL((options.endpoint ?? 'api/v1/lineage').replace(/^\//, ''), base);
  const translator = new OpenLineageTranslator(options);
  const post = options.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let chain: Promise<void> = Promise.resolve();
  let sent = 0;
  let failed = 0;

  const deliver = async (event: OpenLineageRunEvent): Promise<void> => {
    try {
      const response = await post(target, {
        method: 'POST',
        headers,
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      sent++;
    } catch (error) {
      failed++;
      const reason = error instanceof Error ? error.message : String(error);
      options.onError?.(`OpenLineage: could not send ${event.eventType} of ${event.job.name} to ${shown(target)}: ${reason}`);
    }
  };

  return {
    onEvent(event) {
      const translated = translator.translate(event, { pipeline: options.pipeline });
      if (translated) chain = chain.then(() => deliver(translated));
    },
    flush: () => chain,
    get sent() {
      return sent;
    },
    get failed() {
      return failed;
    },
  };
}

/**
 * An emitter configured from the environment the way OpenLineage clients are (OPENLINEAGE_URL,
 * OPENLINEAGE_ENDPOINT, OPENLINEAGE_API_KEY, OPENLINEAGE_NAMESPACE), or undefined when OPENLINEAGE_URL
 * is unset or empty.
 * @example const lineage = openLineageFromEnv(process.env, { graph, pipeline: pipeline?.name });
 */
export function openLineageFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: Omit<OpenLineageEmitterOptions, 'url' | 'endpoint' | 'apiKey'>,
): OpenLineageEmitter | undefined {
  const url = env.OPENLINEAGE_URL?.trim();
  if (!url) return undefined;
  return openLineageEmitter({
    namespace: env.OPENLINEAGE_NAMESPACE?.trim() || undefined,
    ...options,
    url,
    endpoint: env.OPENLINEAGE_ENDPOINT?.trim() || undefined,
    apiKey: env.OPENLINEAGE_API_KEY?.trim() || undefined,
  });
}
