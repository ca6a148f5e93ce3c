// Benchmark runner: runs bench/suites/*.ts (or the ones named), prints a table, rewrites docs/benchmarks.md.
//
//   node --expose-gc --import tsx bench/run.ts [suite...]
//
// Each suite owns one section of docs/benchmarks.md; running some suites replaces only their sections,
// so figures of suites not run this time stay, each with the machine and date they were measured on.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow, BenchSuite } from './types.js';

const suitesDir = fileURLToPath(new URL('./suites/', import.meta.url));
const docsDir = fileURLToPath(new URL('../docs/', import.meta.url));
const docPath = `${docsDir}benchmarks.md`;

const HEADER = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts) — do not edit by hand. Each section is replaced when its suite
runs again (\`node --expose-gc --import tsx bench/run.ts <suite>\`) and says where and when it was measured.
The budgets come from docs/architecture.md; a row without a budget is there for comparison.
`;

function machine(): string {
  const cpus = os.cpus();
  const memory = `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`;
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${memory}, Node ${process.version}, ${os.platform()} ${os.arch()}; measured ${date} UTC, load average ${load} at the start`;
}

function format(value: number): string {
  if (value >= 1000) return String(Math.round(value));
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function verdict(row: BenchRow): string {
  if (row.budget === undefined) return '';
  return row.value <= row.budget ? 'pass' : 'FAIL';
}

function markdownSection(suite: string, rows: readonly BenchRow[], where: string): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    `<!-- suite:${suite} -->`,
    `## ${suite}`,
    '',
    where,
    '',
    '| case | value | budget | result | note |',
    '| --- | ---: | ---: | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${cell(r.case)} | ${format(r.value)} ${r.unit} | ${r.budget === undefined ? '' : `${format(r.budget)} ${r.unit}`} | ${verdict(r)} | ${cell(r.note ?? '')} |`,
    ),
    `<!-- /suite:${suite} -->`,
  ];
  return lines.join('\n');
}

/** Sections already in docs/benchmarks.md, by suite name. */
function existingSections(): Map<string, string> {
  const sections = new Map<string, string>();
  if (!existsSync(docPath)) return sections;
  const text = readFileSync(docPath, 'utf8');
  for (const m of text.matchAll(/<!-- suite:([^ ]+) -->[\s\S]*?<!-- \/suite:\1 -->/g)) sections.set(m[1]!, m[0]);
  return sections;
}

function printTable(rows: readonly BenchRow[]): void {
  const body = rows.map((r) => [
    r.suite,
    r.case,
    `${format(r.value)} ${r.unit}`,
    r.budget === undefined ? '' : `${format(r.budget)} ${r.unit}`,
    verdict(r),
  ]);
  const head = ['suite', 'case', 'value', 'budget', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  for (const cells of body) console.log(line(cells));
}

async function main(): Promise<void> {
  if (typeof globalThis.gc !== 'function') {
    console.warn('warning: run with node --expose-gc for steadier figures (garbage is collected between runs)');
  }
  const available = readdirSync(suitesDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length > 0) {
    console.error(`unknown suite ${unknown.join(', ')}; available: ${available.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  // Taken before running: the load average is the other processes', not this benchmark's own.
  const where = machine();
  const rows: BenchRow[] = [];
  for (const name of wanted.length > 0 ? wanted : available) {
    const mod = (await import(pathToFileURL(`${suitesDir}${name}.ts`).href)) as { run?: BenchSuite };
    if (typeof mod.run !== 'function') throw new Error(`bench/suites/${name}.ts must export async function run()`);
    console.error(`running ${name}…`);
    rows.push(...(await mod.run()));
  }
  printTable(rows);

  const sections = existingSections();
  for (const suite of new Set(rows.map((r) => r.suite))) {
    sections.set(
      suite,
      markdownSection(
        suite,
        rows.filter((r) => r.suite === suite),
        where,
      ),
    );
  }
  const body = [...sections.keys()]
    .sort()
    .map((s) => sections.get(s)!)
    .join('\n\n');
  mkdirSync(docsDir, { recursive: true });
  writeFileSync(docPath, `${HEADER}\n${body}\n`);
  console.error(`wrote ${docPath}`);
  if (rows.some((r) => verdict(r) === 'FAIL')) process.exitCode = 1;
}

await main();
