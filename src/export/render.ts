// Handlebars rendering: templates/<target>/*.hbs loaded from the package root, compiled once, partials by file name.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { TargetName } from './types.js';

// src/export/render.ts and dist/export/render.js both sit two levels below the package root, beside templates/.
const TEMPLATES_ROOT = fileURLToPath(new URL('../../templates/', import.meta.url));

type Compiled = (context: object) => string;

const cache = new Map<TargetName, Map<string, Compiled>>();

function load(target: TargetName): Map<string, Compiled> {
  const cached = cache.get(target);
  if (cached) return cached;
  // An isolated instance per target so partial names of one target never leak into another.
  const hbs = Handlebars.create();
  const dir = `${TEMPLATES_ROOT}${target}/`;
  const templates = new Map<string, Compiled>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.hbs')) continue;
    const source = readFileSync(dir + file, 'utf8');
    const name = file.slice(0, -'.hbs'.length);
    if (name.startsWith('_')) hbs.registerPartial(name.slice(1), source);
    // strict: a misspelled field fails loudly instead of printing ''. HTML escaping stays on for {{ }}: templates
    // print identifiers that way, so a raw string printed by mistake turns into visibly broken Python
    // (&quot;) instead of injected code; Python literals are printed with {{{ }}}.
    else templates.set(name, hbs.compile(source, { strict: true }));
  }
  cache.set(target, templates);
  return templates;
}

/**
 * Renders `templates/<target>/<name>.hbs` with a view model. Templates only loop and print: every value they print
 * is already a Python literal or identifier made by the view model.
 * @example renderTemplate('airflow', 'dag.py', viewModel)
 */
export function renderTemplate(target: TargetName, name: string, viewModel: object): string {
  const template = load(target).get(name);
  if (!template) throw new Error(`no template templates/${target}/${name}.hbs`);
  return template(viewModel);
}
