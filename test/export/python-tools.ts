// Runs the machine's python3 (standard library only) on exported files: compile them, read their structure.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportedFile } from '../../src/export/index.js';

const STRUCTURE = fileURLToPath(new URL('./structure.py', import.meta.url));

/** What structure.py reports for one file. */
export interface Structure {
  target: 'airflow' | 'prefect' | 'dagster';
  tasks: { id: string; operator?: string; retries: number; waits: number[]; jitter: boolean }[];
  edges: [string, string][];
  inlets: Record<string, string[]>;
  schedule: { cron: string; timezone: string | null } | null;
  sensorStarts: boolean;
  strings: string[];
  calls: string[];
  /** Airflow: the dataset URIs in the DAG's schedule, and each task's outlet URIs. */
  datasets?: string[];
  outlets?: Record<string, string[]>;
  /** Prefect: the keyword arguments of each DeploymentEventTrigger given to serve (sets as sorted lists). */
  triggers?: Record<string, unknown>[];
  /** Dagster: each decorated sensor, and the names Definitions lists under `sensors`. */
  sensors?: DagsterSensorShape[];
  definedSensors?: string[];
}

/** One Dagster sensor as structure.py reads it (expressions are unparsed Python). */
export interface DagsterSensorShape {
  name: string;
  decorator: string;
  job: string;
  interval: number | null;
  running: string;
  assetKey: string | null;
  params: string[];
  runKeys: string[];
  partitionKeys: string[];
  skips: number;
}

/** Writes files into a fresh temporary folder (one per call, so parallel tests never share one). */
export function writeAll(files: ExportedFile[], label: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), `sluice-export-${label}-`));
  return files.map((f) => {
    const path = join(dir, f.path);
    writeFileSync(path, f.content, 'utf8');
    return path;
  });
}

/** `python3 -m py_compile` on every path; throws with Python's message when one does not compile. */
export function pyCompile(paths: string[]): void {
  execFileSync('python3', ['-m', 'py_compile', ...paths], { stdio: 'pipe' });
}

/** The structure of each file, read with `ast` (nothing is imported or run). */
export function structure(paths: string[]): Structure[] {
  return JSON.parse(execFileSync('python3', [STRUCTURE, ...paths], { encoding: 'utf8' })) as Structure[];
}
