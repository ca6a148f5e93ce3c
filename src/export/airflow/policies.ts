// Airflow translations shared by every task: retries, Jinja-safe text, logical-date expressions, notifiers, outlets.

import type { NotificationSpec, PartitionsSpec } from '../../definitions/index.js';
import type { ModelAsset, PipelineModel } from '../model.js';
import { pyDict, pyList, pyListBlock, pyNum, pyStr, pyValue } from '../python.js';
import { jinjaLiteral, type Placeholder, splitPlaceholders } from '../text.js';

/** One keyword argument of a generated call: `name=value`, where value is already a Python expression. */
export interface AirflowArg {
  name: string;
  value: string;
}

/** `datetime.timedelta(seconds=N)`, the duration type Airflow's task arguments take. @example timedelta(60) */
export const timedelta = (seconds: number) => `datetime.timedelta(seconds=${pyNum(seconds)})`;

const fmt = (seconds: number[]) => seconds.map((s) => `${pyNum(s)}s`).join(', ');

/**
 * Retry arguments reproducing sluice's waits where Airflow can: fixed waits exactly; exponential natively (Airflow
 * waits at least sluice's wait and less than twice it, a deterministic jitter); linear as a fixed wait equal to the
 * longest linear wait, so Airflow never retries sooner than sluice would. Comments say so in the generated file.
 */
export function airflowRetry(asset: ModelAsset): { args: AirflowArg[]; comments: string[] } {
  const policy = asset.retry;
  if (!policy || policy.maxAttempts <= 1) return { args: [], comments: [] };
  const waits = asset.waits;
  const args: AirflowArg[] = [{ name: 'retries', value: pyNum(policy.maxAttempts - 1) }];
  const comments: string[] = [];
  const delay = policy.delay / 1000;
  const distinct = new Set(waits).size;
  if (policy.backoff === 'exponential' && distinct > 1) {
    args.push({ name: 'retry_delay', value: timedelta(delay) });
    args.push({ name: 'retry_exponential_backoff', value: 'True' });
    if (policy.maxDelay !== undefined) args.push({ name: 'max_retry_delay', value: timedelta(policy.maxDelay / 1000) });
    comments.push(`sluice waits ${fmt(waits)}; Airflow's exponential backoff waits at least that, less than twice it`);
  } else if (distinct > 1) {
    const longest = Math.max(...waits);
    args.push({ name: 'retry_delay', value: timedelta(longest) });
    comments.push(`sluice waits ${fmt(waits)} (linear); Airflow has no linear backoff: a fixed ${pyNum(longest)}s`);
  } else {
    // One distinct wait: fixed, capped, or a single retry of any backoff; Airflow's fixed delay is then exact.
    args.push({ name: 'retry_delay', value: timedelta(waits[0] ?? delay) });
  }
  if (!policy.retryOn.includes('any')) {
    comments.push(`sluice retries only on ${policy.retryOn.join(', ')} errors; Airflow retries every failure`);
  }
  return { args, comments };
}

const ISO_UTC = '"%Y-%m-%dT%H:%M:%S.000Z"';

/**
 * The Jinja expression Airflow renders for a sluice placeholder. With partitions the data interval is the
 * partition's window (interval timetables), so its start names the partition, read in the partitions' zone.
 */
export function logicalDateExpression(placeholder: Placeholder, partitions: PartitionsSpec | undefined): string {
  if (placeholder === 'run_id') return '{{ run_id }}';
  if (!partitions) {
    // Unpartitioned, sluice has a date but no window: the window placeholders are empty.
    if (placeholder === 'ds') return '{{ ds }}';
    return placeholder === 'ds_nodash' ? '{{ ds_nodash }}' : '';
  }
  // Context datetimes are UTC; sluice writes window bounds as ISO-8601 UTC with milliseconds.
  if (placeholder === 'partition_start' || placeholder === 'data_interval_start')
    return `{{ data_interval_start.strftime(${ISO_UTC}) }}`;
  if (placeholder === 'partition_end' || placeholder === 'data_interval_end')
    return `{{ data_interval_end.strftime(${ISO_UTC}) }}`;
  const utc = partitions.timezone === 'UTC';
  const start = utc ? 'data_interval_start' : `data_interval_start.in_timezone("${partitions.timezone}")`;
  if (placeholder === 'partition_key' && partitions.granularity === 'hourly') return `{{ ${start}.strftime("%Y-%m-%d-%H:00") }}`;
  if (placeholder === 'ds_nodash') return utc ? '{{ ds_nodash }}' : `{{ ${start}.strftime("%Y%m%d") }}`;
  return utc ? '{{ ds }}' : `{{ ${start}.strftime("%Y-%m-%d") }}`;
}

/**
 * A templated-field value: literal text escaped so Jinja prints it verbatim, placeholders turned into Airflow's
 * logical-date expressions. Returned as a Python string literal.
 */
export function airflowText(text: string, model: PipelineModel, assetKey: string | undefined): string {
  return pyStr(airflowTemplate(text, model, assetKey));
}

/** The Jinja template (not yet a Python literal) that Airflow renders to what sluice would fill into `text`. */
export function airflowTemplate(text: string, model: PipelineModel, assetKey: string | undefined): string {
  return splitPlaceholders(text, 'airflow', assetKey)
    .map((part) => ('literal' in part ? jinjaLiteral(part.literal) : logicalDateExpression(part.placeholder, model.partitions)))
    .join('');
}

const html = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Notifier calls for `on_failure_callback`, reading secrets from Airflow connections only. */
export function airflowNotifiers(
  notifications: readonly NotificationSpec[],
  model: PipelineModel,
  what: string,
  imports: Set<string>,
  indent: number,
): string {
  const message = jinjaLiteral(`sluice ${what} failed`);
  return pyListBlock(
    notifications.map((n) => {
      if (n.type === 'slack') {
        imports.add('from airflow.providers.slack.notifications.slack import send_slack_notification');
        return (
          `send_slack_notification(slack_conn_id=${pyStr(model.connectionOf(n.resource))}, ` +
          `channel=${pyStr(jinjaLiteral(n.channel))}, text=${pyStr(`${message} (run {{ run_id }})`)})`
        );
      }
      imports.add('from airflow.providers.smtp.notifications.smtp import send_smtp_notification');
      let to = pyList(n.to.map((address) => pyStr(address)));
      if (n.toEnv !== undefined) {
        imports.add('import os');
        const fromEnv = `[address for address in os.environ.get(${pyStr(n.toEnv)}, "").split(",") if address]`;
        to = n.to.length > 0 ? `${to} + ${fromEnv}` : fromEnv;
      }
      return (
        `send_smtp_notification(smtp_conn_id=${pyStr(model.connectionOf(n.resource))}, from_email=None, to=${to}, ` +
        `subject=${pyStr(message)}, html_content=${pyStr(`<p>${html(message)} (run {{ run_id }})</p>`)})`
      );
    }),
    indent,
  );
}

/** The Airflow Dataset (2.x) or Asset (3.x) standing for a sluice asset, carrying its key and descriptive metadata. */
export function airflowAssetRef(asset: Pick<ModelAsset, 'spec'>, version: 2 | 3, imports: Set<string>): string {
  const { spec } = asset;
  const extra: [string, string][] = [
    ['sluice_key', pyStr(spec.key)],
    ['kind', pyStr(spec.kind)],
  ];
  if (spec.owner !== undefined) extra.push(['owner', pyStr(spec.owner)]);
  if (spec.group !== undefined) extra.push(['group', pyStr(spec.group)]);
  if (spec.tags.length > 0) extra.push(['tags', pyList(spec.tags.map((t) => pyStr(t)))]);
  if (Object.keys(spec.metadata).length > 0) extra.push(['metadata', pyValue(spec.metadata)]);
  // Asset URIs must be ASCII without spaces; the key itself travels in `extra` (and as the 3.x asset name).
  const uri = pyStr(`sluice://asset/${encodeURIComponent(spec.key)}`);
  if (version === 3) {
    imports.add('from airflow.sdk import Asset');
    return `Asset(name=${pyStr(spec.key)}, uri=${uri}, extra=${pyDict(extra)})`;
  }
  imports.add('from airflow.datasets import Dataset');
  return `Dataset(${uri}, extra=${pyDict(extra)})`;
}
