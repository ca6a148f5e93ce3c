// Run-time placeholders (sluice's `{{ name }}`), checked at export, and escaping so Jinja prints the rest verbatim.

import { ExportError } from '../definitions/index.js';
import type { TargetName } from './types.js';

/**
 * The placeholders sluice's runtime fills in SQL, commands, URLs, bodies, headers and paths (src/runtime/template.ts):
 * `ds` (the partition's date, else the run's date), `ds_nodash`, `run_id`, `partition_key`, and the window as
 * ISO-8601 UTC instants: `partition_start`/`partition_end` and their Airflow names `data_interval_start`/`_end`
 * (empty when unpartitioned). Any other `{{ name }}` fails the asset in sluice, so it fails the export too.
 */
export const PLACEHOLDERS = [
  'ds',
  'ds_nodash',
  'run_id',
  'partition_key',
  'partition_start',
  'partition_end',
  'data_interval_start',
  'data_interval_end',
] as const;

/** One of sluice's placeholder names. */
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** A piece of a templated text: literal text, or one placeholder. */
export type TextPart = { literal: string } | { placeholder: Placeholder };

// The runtime's own pattern: `{{`, optional spaces, an identifier, optional spaces, `}}`. Anything else is text.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const KNOWN = new Set<string>(PLACEHOLDERS);

/**
 * Splits text into literal runs and placeholders, failing on a name sluice would not fill.
 * @example splitPlaceholders('dump {{ ds_nodash }}.csv', 'airflow', 'a.b') // [{ literal: 'dump ' }, { placeholder: 'ds_nodash' }, { literal: '.csv' }]
 */
export function splitPlaceholders(text: string, target: TargetName, assetKey: string | undefined): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1] as string;
    if (!KNOWN.has(name)) {
      throw new ExportError(
        target,
        'placeholders',
        assetKey,
        `{{ ${name} }} is not a placeholder sluice fills (known: ${PLACEHOLDERS.join(', ')}); the asset would fail in sluice too`,
      );
    }
    if (m.index > last) parts.push({ literal: text.slice(last, m.index) });
    parts.push({ placeholder: name as Placeholder });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ literal: text.slice(last) });
  return parts;
}

/** Whether text needs filling at run time (after checking its names). */
export function hasPlaceholder(text: string, target: TargetName, assetKey: string | undefined): boolean {
  return splitPlaceholders(text, target, assetKey).some((p) => 'placeholder' in p);
}

/**
 * Replaces `{{ name }}` (any spacing) with a value known at export time, such as a SQL check's `{{ table }}`.
 * @example fillStatic('SELECT * FROM {{table}}', 'table', 'a.t') // 'SELECT * FROM a.t'
 */
export function fillStatic(text: string, name: string, value: string): string {
  return text.replace(PLACEHOLDER, (whole, found: string) => (found === name ? value : whole));
}

/**
 * Text that Jinja renders back to exactly `text`: every `{` that would open a Jinja tag (`{{`, `{%`, `{#`) is printed
 * through an expression instead. Unlike `{% raw %}`, this cannot be ended early by the text itself.
 * @example jinjaLiteral('{{ x }}') // "{{ '{' }}{ x }}"
 */
export function jinjaLiteral(text: string): string {
  return text.replace(/\{(?=[{%#])/g, "{{ '{' }}");
}

/**
 * A word for bash: as-is when it only holds safe characters, else single-quoted (`'` written as `'"'"'`).
 * @example shellQuote("it's") // `'it'"'"'s'`
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}
