// Shared by the project tests: fixture paths, throw-away copies in the temp folder, caught errors.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefinitionError } from '../../src/definitions/errors.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

const made: string[] = [];

/**
 * A copy of a fixture (or an empty project) in the temp folder, so tests may edit it. The package.json
 * marks it as ESM, as a real project's must be for .ts asset modules.
 */
export async function tempProject(name?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-project-'));
  made.push(dir);
  if (name) await cp(fixture(name), dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'fixture', private: true, type: 'module' })}\n`);
  return dir;
}

export async function removeTempProjects(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** The DefinitionError a promise rejects with; anything else fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<DefinitionError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error('expected a DefinitionError, but the promise resolved');
}
