// Prefect translations of policies: retries as exact wait lists, failure notifications, the served schedule.

import { ExportError, type NotificationSpec } from '../../definitions/index.js';
import type { ModelAsset, PipelineModel } from '../model.js';
import { pyList, pyNum, pyStr } from '../python.js';
import type { PrefectArg } from './tasks.js';
import { serveTriggers } from './triggers.js';

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** Lines that send `message` (a Python expression) through each notification, secrets in Prefect blocks only. */
export function notifyLines(notifications: readonly NotificationSpec[], subject: string, imports: Set<string>): string[] {
  const lines: string[] = [];
  for (const n of notifications) {
    if (n.type === 'slack') {
      imports.add('from prefect.blocks.notifications import SlackWebhook');
      lines.push(`SlackWebhook.load(${pyStr(slug(`${n.resource}-${n.channel}`))}).notify(message)`);
      continue;
    }
    imports.add('from prefect_email import EmailServerCredentials');
    imports.add('from email.message import EmailMessage');
    let to = pyList(n.to.map((a) => pyStr(a)));
    if (n.toEnv !== undefined) {
      imports.add('import os');
      const fromEnv = `[address for address in os.environ.get(${pyStr(n.toEnv)}, "").split(",") if address]`;
      to = n.to.length > 0 ? `${to} + ${fromEnv}` : fromEnv;
    }
    lines.push(
      `credentials = EmailServerCredentials.load(${pyStr(slug(n.resource))})`,
      'letter = EmailMessage()',
      `letter["Subject"] = ${pyStr(subject)}`,
      'letter["From"] = credentials.username',
      `letter["To"] = ", ".join(${to})`,
      'letter.set_content(message)',
      'with credentials.get_server() as server:',
      '    server.send_message(letter)',
    );
  }
  return lines;
}

/**
 * `retries` and the exact list of waits: Prefect takes `retry_delay_seconds=[…]`, so sluice's retryDelay is reproduced
 * wait for wait.
 * @example retryArgs(asset).args // [{ name: 'retries', value: '2' }, { name: 'retry_delay_seconds', value: '[60, 120]' }]
 */
export function retryArgs(asset: ModelAsset): { args: PrefectArg[]; comments: string[] } {
  const policy = asset.retry;
  if (!policy || policy.maxAttempts <= 1) return { args: [], comments: [] };
  const comments = policy.retryOn.includes('any')
    ? []
    : [`sluice retries only on ${policy.retryOn.join(', ')} errors; Prefect retries every failure`];
  // Prefect takes the exact list of waits, so sluice's retryDelay is reproduced wait for wait.
  return {
    args: [
      { name: 'retries', value: pyNum(policy.maxAttempts - 1) },
      { name: 'retry_delay_seconds', value: pyList(asset.waits.map(pyNum)) },
    ],
    comments,
  };
}

/**
 * The arguments of `flow.serve(...)`: the deployment's name, cron schedule in its zone, event triggers for the
 * pipeline's sensors, concurrency limit and tags.
 */
export function serveBlock(model: PipelineModel, imports: Set<string>): { comments: string[]; args: PrefectArg[] } {
  const { pipeline, schedule } = model;
  const args: PrefectArg[] = [{ name: 'name', value: pyStr(pipeline.name) }];
  const comments: string[] = [];
  if (schedule) {
    if (schedule.catchup) {
      throw new ExportError(
        'prefect',
        'schedule.catchup',
        undefined,
        'Prefect deployments do not run missed intervals; set catchup: false and backfill with `prefect deployment run --param partition_key=...`',
      );
    }
    if (schedule.end) {
      throw new ExportError(
        'prefect',
        'schedule.end',
        undefined,
        'Prefect cron schedules have no end date; drop `end` and pause the deployment when it is due',
      );
    }
    imports.add('from prefect.schedules import Cron');
    args.push({ name: 'schedules', value: `[Cron(${pyStr(schedule.cron5)}, timezone=${pyStr(schedule.timezone)})]` });
    if (schedule.start) {
      const s = schedule.start;
      const day = `${s.year}-${String(s.month).padStart(2, '0')}-${String(s.day).padStart(2, '0')}`;
      comments.push(`sluice's schedule starts ${day} (${schedule.timezone}); Prefect schedules from the moment this is served`);
    }
  }
  const triggers = serveTriggers(model, imports);
  if (triggers) args.push({ name: 'triggers', value: triggers });
  // Deployment-wide concurrency: sluice's max active runs (1 unless the schedule says otherwise).
  args.push({ name: 'global_limit', value: pyNum(schedule?.maxActiveRuns ?? 1) });
  if (pipeline.tags.length > 0) args.push({ name: 'tags', value: pyList(pipeline.tags.map((t) => pyStr(t))) });
  return { comments, args };
}
