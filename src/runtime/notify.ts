// Failure notifications: what is sent when an asset or a run fails, and the channel it goes through.

import type { NotificationSpec } from '../definitions/schema.js';
import type { FailureKind } from './classify.js';

/** One failed asset × partition, as a notification describes it. */
export interface FailedAsset {
  assetKey: string;
  partition: string | null;
  attempts: number;
  kind: FailureKind;
  /** The last attempt's error, secrets redacted. */
  error: string;
}

/**
 * A failure to tell people about. `scope: 'asset'` is sent once when an asset with `notify` targets
 * fails (not per attempt); `scope: 'run'` once per failed run, to the pipeline's `onFailure` targets.
 * Every text in it is already redacted.
 */
export interface FailureNotification {
  scope: 'asset' | 'run';
  pipeline: string | null;
  runId: string;
  /** The partitions the run covers ([] when unpartitioned). */
  partitions: string[];
  /** Where to send it: the asset's `notify` or the pipeline's `onFailure` specs (maybe empty). */
  targets: NotificationSpec[];
  failed: FailedAsset[];
  /** Assets that did not run because of the failures. */
  upstreamFailed: string[];
  /** One line for chat and subject lines. */
  summary: string;
}

/**
 * Delivers failure notifications (Slack and e-mail implementations come with their resources).
 * A notifier that throws does not fail the run; the error is logged to the run.
 * @example const notifier: Notifier = { async notify(n) { console.error(n.summary); } };
 */
export interface Notifier {
  notify(notification: FailureNotification): Promise<void>;
}

/**
 * Keeps every notification in `sent`: for tests, and as the default when nothing is configured.
 * @example const notifier = new RecordingNotifier(); await execute({ ..., notifier }); notifier.sent.length // 1
 */
export class RecordingNotifier implements Notifier {
  readonly sent: FailureNotification[] = [];
  async notify(notification: FailureNotification): Promise<void> {
    this.sent.push(notification);
  }
}

/**
 * The one-line summary: who failed, where, how often, why.
 * @example summarize('elt', 'r1', [{ assetKey: 'a', partition: null, attempts: 1, kind: 'other', error: 'boom' }])
 * // 'pipeline elt failed (run r1): a after 1 attempt: boom'
 */
export function summarize(pipeline: string | null, runId: string, failed: readonly FailedAsset[]): string {
  const where = pipeline ? `pipeline ${pipeline}` : 'run';
  const first = failed[0];
  if (!first) return `${where} failed (run ${runId})`;
  const what = (f: FailedAsset) => `${f.assetKey}${f.partition ? `@${f.partition}` : ''}`;
  const more = failed.length > 1 ? ` and ${failed.length - 1} more (${failed.slice(1).map(what).join(', ')})` : '';
  const tries = `${first.attempts} attempt${first.attempts === 1 ? '' : 's'}`;
  return `${where} failed (run ${runId}): ${what(first)} after ${tries}: ${first.error}${more}`;
}
