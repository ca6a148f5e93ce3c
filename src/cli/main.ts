// The `sluice` command line: commander wiring only; each command's work loads lazily to keep start-up fast.

import { Command, CommanderError, Option } from 'commander';
import { type CliIo, processIo } from './io.js';

/** Exit statuses: 0 ok, 1 a run or check failed, 2 bad input (definitions, arguments). */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/** A command's implementation; its options type is what commander parsed for it. */
type Action<O> = (io: CliIo, args: unknown[], options: O, globals: GlobalOptions) => Promise<number>;
type Runner = <O>(load: () => Promise<Action<O>>) => (...args: unknown[]) => Promise<void>;

export interface GlobalOptions {
  project?: string;
}

function collectList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CommanderError(EXIT.badInput, 'sluice.invalidArgument', `"${value}" is not a positive whole number`);
  return n;
}

/** Builds the program; `run` receives each command's lazily imported action. */
function program(io: CliIo, run: Runner): Command {
  const cli = new Command('sluice')
    .description('Asset-centric data pipelines: declare datasets, materialize them, see their lineage, export them.')
    .version('0.1.0', '-V, --version')
    .option('-C, --project <dir>', 'project root (default: nearest folder with sluice.config.ts)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  cli
    .command('init')
    .description('scaffold a new project: package.json, sluice.config.ts, an example asset module, .gitignore, README')
    .argument('[dir]', 'folder for the project, created when missing (default: the current folder)')
    .option('--name <name>', 'package name (default: the folder name)')
    .action(run(async () => (await import('./commands/init.js')).initCommand));

  cli
    .command('list')
    .description('list assets, optionally filtered by a selection')
    .argument('[selection]', "selection, e.g. 'analytics.*', '+analytics.mau_summary', 'tag:ELT'")
    .option('--json', 'print JSON')
    .action(run(async () => (await import('./commands/list.js')).list));

  cli
    .command('plan')
    .description('show the ordered steps that materializing a selection would run')
    .argument('<selection>', 'which assets to plan')
    .option('--partition <key>', 'one partition, e.g. 2025-01-10')
    .option('--from <key>', 'first partition of a range (backfill)')
    .option('--to <key>', 'last partition of a range (backfill)')
    .option('--json', 'print JSON')
    .action(run(async () => (await import('./commands/plan.js')).planCommand));

  cli
    .command('validate')
    .description('load every definition and check the lineage graph; exit 2 on any problem')
    .option('--json', 'print JSON')
    .action(run(async () => (await import('./commands/validate.js')).validate));

  cli
    .command('lineage')
    .description('print or write the lineage graph as JSON, Mermaid or Graphviz dot')
    .argument('[selection]', 'which assets to include (default: all)')
    .addOption(
      new Option('--format <format>', 'output format (default: json when printing, all four with --out)').choices([
        'json',
        'mermaid',
        'dot',
        'openlineage',
        'all',
      ]),
    )
    .option('--out <dir>', 'write graph.json / graph.mmd / graph.dot / openlineage.json into this folder instead of printing')
    .action(run(async () => (await import('./commands/lineage.js')).lineage));

  const create = cli.command('new').description('add a declaration to the project by editing its syntax tree');
  create
    .command('asset')
    .description('add an asset to an asset module (created when missing)')
    .argument('<key>', 'the asset key, e.g. analytics.daily_orders')
    .requiredOption('--in <module>', 'asset module, e.g. assets/orders.ts')
    .option('--deps <keys>', 'comma-separated upstream asset keys', collectList, [])
    .addOption(new Option('--producer <type>', 'how it is produced').choices(['sql', 'shell', 'fn']).default('sql'))
    .action(run(async () => (await import('./commands/new.js')).newAsset));

  cli
    .command('types')
    .description('write generated/asset-keys.ts so misspelled dep keys are type errors')
    .action(run(async () => (await import('./commands/types.js')).types));

  cli
    .command('materialize')
    .description('run a selection in dependency order and record the run')
    .argument('[selection]', 'which assets to materialize (omit with --resume)')
    .option('--partition <key>', 'one partition, e.g. 2025-01-10')
    .option('--from <key>', 'first partition of a range (backfill)')
    .option('--to <key>', 'last partition of a range (backfill)')
    .option('--resume <runId>', 'run again what did not succeed in that run')
    .option('--concurrency <n>', 'assets running at once', positiveInt, 4)
    .option('--max-partitions <n>', 'partitions of a backfill in flight at once, oldest first', positiveInt)
    .option('--store <url>', 'run store URL (default: DATABASE_URL, else SQLite in .sluice/)')
    .option('--wait-for-locks', 'wait for other runs writing the same assets instead of refusing')
    .option('--dry-run', 'print the plan and run nothing')
    .option('--json', 'print the run summary as JSON')
    .action(run(async () => (await import('./commands/materialize.js')).materialize));

  const runs = cli
    .command('runs')
    .description('list recorded runs')
    .option('--limit <n>', 'how many', positiveInt, 20)
    .option('--store <url>', 'run store URL')
    .option('--json', 'print JSON')
    .action(run(async () => (await import('./commands/runs.js')).listRuns));
  runs
    .command('show')
    .description('one run: per asset status, attempts, duration, error and log tail')
    .argument('<runId>', 'the run id')
    .option('--store <url>', 'run store URL')
    .option('--json', 'print JSON')
    .action(run(async () => (await import('./commands/runs.js')).showRun));
  runs
    .command('drive')
    .description('the drive table: one row per run × asset × partition')
    .option('--limit <n>', 'how many runs', positiveInt, 20)
    .option('--store <url>', 'run store URL')
    .option('--json', 'print JSON')
    .action(run(async () => (await import('./commands/runs.js')).drive));

  cli
    .command('daemon')
    .description('evaluate schedules and pipeline sensors on a tick and launch the runs that are due')
    .option('--once', 'evaluate once, wait for the launched runs, exit (for system cron and tests)')
    .option('--interval <duration>', 'time between evaluations', '30s')
    .option('--pipeline <names>', 'only these pipelines, comma-separated (default: all)')
    .option('--store <url>', 'run store URL')
    .option('--json', 'print tick and sensor evaluation records as JSON')
    .action(run(async () => (await import('./commands/daemon.js')).daemon));

  cli
    .command('schedules')
    .description('scheduled pipelines with their next ticks, and pipeline sensors')
    .option('--next <n>', 'how many next ticks to show', positiveInt, 3)
    .option('--json', 'print JSON')
    .action(run(async () => (await import('./commands/schedules.js')).schedules));

  cli
    .command('ticks')
    .description('what the daemon evaluated: schedule ticks and sensor evaluations, newest first, with reasons')
    .argument('[pipeline]', 'only this pipeline')
    .option('--limit <n>', 'how many of each', positiveInt, 20)
    .option('--store <url>', 'run store URL')
    .option('--json', 'print JSON')
    .action(run(async () => (await import('./commands/schedules.js')).ticks));

  cli
    .command('partitions')
    .description("an asset's partitions: materialized, failed or missing")
    .argument('<asset>', 'a partitioned asset key')
    .option('--store <url>', 'run store URL')
    .option('--json', 'print JSON')
    .action(run(async () => (await import('./commands/partitions.js')).partitions));

  cli
    .command('serve')
    .description('serve the lineage browser and JSON API (read-only unless --allow-materialize)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '3000')
    .option('--host <host>', 'address to bind; anything but loopback needs a token', '127.0.0.1')
    .option('--token <token>', 'require this token on every request (default: SLUICE_TOKEN)')
    .option('--allow-materialize', 'let the browser start runs (needs a token; one is made up when none is given)')
    .option('--concurrency <n>', 'assets running at once in runs started from the browser', positiveInt, 4)
    .option('--store <url>', 'run store URL (default: DATABASE_URL, else SQLite in .sluice/)')
    .action(run(async () => (await import('./commands/serve.js')).serveCommand));

  cli
    .command('export')
    .description('write pipelines as Airflow, Prefect or Dagster code')
    .addArgument(cli.createArgument('<target>', 'target orchestrator').choices(['airflow', 'prefect', 'dagster']))
    .argument('[selection]', 'export the pipelines that select these assets')
    .option('--pipeline <name>', 'one pipeline by name')
    .option('--out <dir>', 'output folder (default: generated/<target>/)')
    .addOption(new Option('--airflow <version>', 'Airflow major version').choices(['2', '3']).default('2'))
    .action(run(async () => (await import('./commands/export.js')).exportCommand));

  return cli;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit status.
 * @example process.exitCode = await main(['plan', '+analytics.mau_summary', '--json']);
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let status: number = EXIT.ok;
  const run: Runner =
    <O>(load: () => Promise<Action<O>>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args.at(-1) as Command;
      const options = command.opts() as O;
      const globals = command.optsWithGlobals() as GlobalOptions;
      const positional = args.slice(0, -2);
      const action = await load();
      status = await action(io, positional, options, globals);
    };
  try {
    await program(io, run).parseAsync(argv, { from: 'user' });
  } catch (error) {
    return reportError(io, error);
  }
  return status;
}

async function reportError(io: CliIo, error: unknown): Promise<number> {
  if (error instanceof CommanderError) {
    // --help and --version end through here with status 0.
    if (error.exitCode === 0) return EXIT.ok;
    return EXIT.badInput;
  }
  const { SluiceError } = await import('../definitions/errors.js');
  if (error instanceof SluiceError) {
    io.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`error: unexpected failure: ${message}\n`);
  return EXIT.failed;
}
