// Dagster translations of pipeline-level policies: retry policies, partitions, the schedule, failure alerts.

import { ExportError, type PartitionsSpec } from '../../definitions/index.js';
import type { ModelAsset, PipelineModel } from '../model.js';
import { pyIdent, pyList, pyNum, pyStr, pyTuple } from '../python.js';
import type { DagsterBuild } from './assets.js';
import { dagsterName } from './keys.js';

const fmt = (seconds: number[]) => seconds.map((s) => `${pyNum(s)}s`).join(', ');

/** Dagster's own waits for a RetryPolicy: fixed d, LINEAR n·d, EXPONENTIAL (2^n − 1)·d, for retries n = 1, 2, … */
function dagsterWaits(backoff: 'fixed' | 'linear' | 'exponential', delay: number, retries: number): number[] {
  return Array.from({ length: retries }, (_, i) => {
    const n = i + 1;
    return backoff === 'linear' ? delay * n : backoff === 'exponential' ? (2 ** n - 1) * delay : delay;
  });
}

const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Math.abs(x - (b[i] as number)) < 1e-9);

/**
 * A native RetryPolicy when Dagster's formula gives sluice's exact waits (fixed; linear without a binding cap; any
 * single retry). Otherwise the waits themselves, for the asset body to request with RetryRequested.
 */
export function dagsterRetry(asset: ModelAsset): { policy?: string; waits?: string; comments: string[] } {
  const policy = asset.retry;
  if (!policy || policy.maxAttempts <= 1) return { comments: [] };
  const retries = policy.maxAttempts - 1;
  const comments = policy.retryOn.includes('any')
    ? []
    : [`sluice retries only on ${policy.retryOn.join(', ')} errors; Dagster retries every failure`];
  const waits = asset.waits;
  const first = waits[0] as number;
  const note = (kind: string) =>
    policy.backoff === kind
      ? comments
      : [...comments, `sluice's ${policy.backoff} waits ${fmt(waits)} are exactly Dagster's ${kind} backoff here`];
  if (same(dagsterWaits('fixed', first, retries), waits)) {
    return { policy: `dg.RetryPolicy(max_retries=${pyNum(retries)}, delay=${pyNum(first)})`, comments: note('fixed') };
  }
  if (same(dagsterWaits('linear', first, retries), waits)) {
    return {
      policy: `dg.RetryPolicy(max_retries=${pyNum(retries)}, delay=${pyNum(first)}, backoff=dg.Backoff.LINEAR)`,
      comments: note('linear'),
    };
  }
  const native = dagsterWaits(policy.backoff, policy.delay / 1000, retries);
  comments.push(
    `sluice waits ${fmt(waits)}; a Dagster RetryPolicy would wait ${fmt(native)}, so the asset asks for sluice's waits itself`,
  );
  return { waits: pyTuple(waits.map(pyNum)), comments };
}

const PARTITIONS_CLASS = {
  hourly: 'dg.HourlyPartitionsDefinition',
  daily: 'dg.DailyPartitionsDefinition',
  weekly: 'dg.WeeklyPartitionsDefinition',
  monthly: 'dg.MonthlyPartitionsDefinition',
};

// Dagster reads hourly starts as YYYY-MM-DD-HH:MM and the others as YYYY-MM-DD.
function dagsterDate(text: string, granularity: PartitionsSpec['granularity']): string {
  const day = text.slice(0, 10);
  if (granularity !== 'hourly') return day;
  return `${day}-${text.length > 10 ? text.slice(11, 16) : '00:00'}`;
}

/** The partitions definition matching sluice's time windows (weeks start on Sunday in both). */
export function partitionsDef(p: PartitionsSpec): string {
  const args = [`start_date=${pyStr(dagsterDate(p.start, p.granularity))}`, `timezone=${pyStr(p.timezone)}`];
  if (p.end !== undefined) args.push(`end_date=${pyStr(dagsterDate(p.end, p.granularity))}`);
  if (p.endOffset !== 0) args.push(`end_offset=${pyNum(p.endOffset)}`);
  return `${PARTITIONS_CLASS[p.granularity]}(${args.join(', ')})`;
}

// Which cron fields a partitioned schedule may set, per granularity: minute, hour, day of month, month, day of week.
const CADENCE: Record<PartitionsSpec['granularity'], RegExp> = {
  hourly: /^(\d+) \* \* \* \*$/,
  daily: /^(\d+) (\d+) \* \* \*$/,
  weekly: /^(\d+) (\d+) \* \* (\d+)$/,
  monthly: /^(\d+) (\d+) (\d+) \* \*$/,
};

/** The job's schedule: on a partitioned job, the partitions' cadence at the cron's minute and hour. */
export function jobSchedule(model: PipelineModel, job: string, names: Set<string>): { variable: string; value: string }[] {
  const { schedule, partitions, pipeline } = model;
  if (!schedule) return [];
  const fail = (feature: string, message: string) => new ExportError('dagster', feature, undefined, message);
  if (schedule.catchup)
    throw fail(
      'schedule.catchup',
      'Dagster schedules do not run missed ticks; set catchup: false and launch a backfill of the partition range instead',
    );
  if (schedule.end) throw fail('schedule.end', 'Dagster schedules have no end date; drop `end` (partitions can end instead)');
  const variable = pyIdent(`${dagsterName(pipeline.name)}_schedule`, names);
  const running = 'default_status=dg.DefaultScheduleStatus.RUNNING';
  if (!partitions) {
    return [
      {
        variable,
        value: `dg.ScheduleDefinition(name=${pyStr(`${dagsterName(pipeline.name)}_schedule`)}, job=${job}, cron_schedule=${pyStr(schedule.cron5)}, execution_timezone=${pyStr(schedule.timezone)}, ${running})`,
      },
    ];
  }
  const m = CADENCE[partitions.granularity].exec(schedule.cron5);
  if (!m || schedule.timezone !== partitions.timezone) {
    throw fail(
      'schedule',
      `a partitioned Dagster job runs on its partitions' cadence (${partitions.granularity}, ${partitions.timezone}); give the schedule a matching cron and time zone, e.g. "0 6 * * *" for daily partitions`,
    );
  }
  const args = [`minute_of_hour=${m[1]}`];
  if (partitions.granularity !== 'hourly') args.push(`hour_of_day=${m[2]}`);
  if (partitions.granularity === 'weekly') args.push(`day_of_week=${m[3]}`);
  if (partitions.granularity === 'monthly') args.push(`day_of_month=${m[3]}`);
  return [{ variable, value: `dg.build_schedule_from_partitioned_job(${job}, ${args.join(', ')}, ${running})` }];
}

/** Run-failure sensors for the pipeline's onFailure notifications; secrets come from the environment. */
export function notificationSensors(
  model: PipelineModel,
  job: string,
  b: DagsterBuild,
): { assignments: { variable: string; value: string }[]; constants: { name: string; value: string }[] } {
  const assignments: { variable: string; value: string }[] = [];
  const constants: { name: string; value: string }[] = [];
  const base = dagsterName(model.pipeline.name);
  for (const n of model.pipeline.onFailure) {
    const common = `monitored_jobs=[${job}], default_status=dg.DefaultSensorStatus.RUNNING`;
    if (n.type === 'slack') {
      b.imports.add('import os');
      b.imports.add('from dagster_slack import make_slack_on_run_failure_sensor');
      const token = pyStr(n.resource === 'slack' ? 'SLACK_BOT_TOKEN' : `${n.resource.toUpperCase()}_BOT_TOKEN`);
      const name = pyIdent(`${base}_slack_on_failure`, b.names);
      assignments.push({
        variable: name,
        value: `make_slack_on_run_failure_sensor(channel=${pyStr(n.channel)}, slack_token=os.environ.get(${token}, ""), name=${pyStr(name)}, ${common})`,
      });
      continue;
    }
    b.imports.add('import os');
    b.imports.add('from urllib.parse import unquote, urlsplit');
    const smtp = pyIdent(`${n.resource}_smtp`.toUpperCase(), b.names);
    if (!constants.some((c) => c.name === smtp)) {
      const env = pyStr(n.resource === 'email' ? 'SMTP_URL' : `${n.resource.toUpperCase()}_SMTP_URL`);
      constants.push({ name: smtp, value: `urlsplit(os.environ.get(${env}, "smtp://localhost"))` });
    }
    let to = pyList(n.to.map((a) => pyStr(a)));
    if (n.toEnv !== undefined) {
      const fromEnv = `[address for address in os.environ.get(${pyStr(n.toEnv)}, "").split(",") if address]`;
      to = n.to.length > 0 ? `${to} + ${fromEnv}` : fromEnv;
    }
    const name = pyIdent(`${base}_email_on_failure`, b.names);
    assignments.push({
      variable: name,
      value:
        `dg.make_email_on_run_failure_sensor(email_from=unquote(${smtp}.username or ""), email_password=unquote(${smtp}.password or ""), ` +
        `email_to=${to}, smtp_host=${smtp}.hostname or "localhost", smtp_port=${smtp}.port, ` +
        `smtp_type="SSL" if ${smtp}.scheme == "smtps" else "STARTTLS", name=${pyStr(name)}, ${common})`,
    });
  }
  return { assignments, constants };
}
