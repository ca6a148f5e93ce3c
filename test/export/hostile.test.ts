// Hostile text in keys, descriptions, SQL and tags: every target writes valid Python whose string constants are the
// input byte for byte, and nothing of the input becomes code (or, in Airflow, a Jinja expression).

import { describe, expect, it } from 'vitest';
import { asset, pipeline, sourceAsset, sql } from '../../src/definitions/index.js';
import { airflowTarget, type ExportOptions, exportPipeline } from '../../src/export/index.js';
import { HOSTILE, hostile, toInput } from './fixtures.js';
import { pyCompile, structure, writeAll } from './python-tools.js';

const VARIANTS: [string, 'airflow' | 'prefect' | 'dagster', ExportOptions][] = [
  ['airflow 2', 'airflow', {}],
  ['airflow 3', 'airflow', { airflowVersion: 3 }],
  ['prefect', 'prefect', {}],
  ['dagster', 'dagster', {}],
];

describe.each(VARIANTS)('%s', (_, target, options) => {
  const files = exportPipeline(target, hostile, options);
  const paths = writeAll(files, `hostile-${target}`);

  it('compiles', () => {
    expect(() => pyCompile(paths)).not.toThrow();
  });

  it('keeps key, description, SQL and tag as string constants equal to the input', () => {
    const [read] = structure(paths);
    for (const text of [HOSTILE.key, HOSTILE.description, HOSTILE.sql, HOSTILE.tag, 'None', 'import.lambda.return']) {
      expect(read?.strings, JSON.stringify(text)).toContain(text);
    }
  });

  it('turns no input into code', () => {
    const [read] = structure(paths);
    expect(read?.calls).not.toContain('__import__');
    expect(read?.calls.some((c) => c.includes('system'))).toBe(false);
  });
});

describe('Airflow and Jinja', () => {
  it('sends SQL without placeholders through an operator that does not render it', () => {
    const vm = airflowTarget.buildViewModel(hostile, {});
    const task = vm.tasks.find((t) => t.assetKey === HOSTILE.key);
    expect(task?.operator).toBe('UntemplatedSQLExecuteQueryOperator');
  });

  it("renders sluice's placeholders and escapes every other Jinja opening", () => {
    const src = sourceAsset('raw.events');
    const daily = asset('mart.daily', {
      deps: [src],
      produce: sql({ sql: "DELETE FROM mart.daily WHERE d = '{{ds}}' AND note <> '{{ x.y }}{% if %}{#c#}{{{'" }),
    });
    const input = toInput(pipeline('templated', { select: '+mart.daily' }), [src, daily]);
    const vm = airflowTarget.buildViewModel(input, {});
    expect(vm.tasks[0]?.operator).toBe('SQLExecuteQueryOperator');
    const escaped = "{{ '{' }}{ x.y }}{{ '{' }}% if %}{{ '{' }}#c#}{{ '{' }}{{ '{' }}{";
    expect(vm.constants[0]?.value).toBe(`[\n    "DELETE FROM mart.daily WHERE d = '{{ ds }}' AND note <> '${escaped}'",\n]`);
  });

  it('fails the export on a placeholder sluice would not fill, as sluice fails the asset', () => {
    const src = sourceAsset('raw.events');
    const daily = asset('mart.daily', { deps: [src], produce: sql({ sql: "SELECT '{{ not_a_placeholder }}'" }) });
    const input = toInput(pipeline('unknown', { select: '+mart.daily' }), [src, daily]);
    for (const target of ['airflow', 'prefect', 'dagster'] as const) {
      expect(() => exportPipeline(target, input)).toThrow(
        /mart\.daily.*\{\{ not_a_placeholder \}\} is not a placeholder sluice fills/,
      );
    }
  });

  it('keeps a trailing newline in rendered fields and never reads a command as a template file', () => {
    const src = sourceAsset('raw.events');
    const dump = asset('files.dump', { deps: [src], produce: { type: 'shell', command: 'bash scripts/dump.sh' } });
    const input = toInput(pipeline('shell_only', { select: '+files.dump' }), [src, dump]);
    const vm = airflowTarget.buildViewModel(input, {});
    expect(vm.tasks[0]?.args).toContainEqual({ name: 'bash_command', value: '"bash scripts/dump.sh "' });
    expect(vm.dagArgs).toContainEqual({ name: 'jinja_environment_kwargs', value: '{"keep_trailing_newline": True}' });
  });
});
