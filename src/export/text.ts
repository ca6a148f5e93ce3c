// Run-time placeholders (sluice's `{{ name }}`), checked at export, and escaping so Jinja prints the rest verbatim.

import { ExportError } from '../definitions/index.js';
import { PLACEHOLDER_PATTERN, TEMPLATE_VARIABLES, type TemplateVariable } from '../definitions/templates.js';
import type { TargetName } from './types.js';

/** One of sluice's placeholder names (see TEMPLATE_VARIABLES). */
export type Placeholder = TemplateVariable;

/** A piece of a templated text: literal text, or one placeholder. */
export type TextPart = { literal: string } | { placeholder: Placeholder };

// Any other `{{ name }}` fails the asset in sluice, so it fails the export too.
const KNOWN = new Set<string>(TEMPLATE_VARIABLES);

/**
 * Splits text into literal runs and placeholders, failing on a name sluice would not fill.
 * @example splitPlaceholders('dump {{ ds_nodash }}.csv', 'airflow', 'a.b') // [{ literal: 'dump ' }, { placeholder: 'ds_nodash' }, { literal: '.csv' }]
 */
export function splitPlaceholders(text: string, target: TargetName, assetKey: string | undefined): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER_PATTERN)) {
    const name = m[1] as string;
    if (!KNOWN.has(name)) {
      throw new ExportError(
        target,
        'placeholders',
        assetKey,
        `{{ ${name} }} is not a placeholder sluice fills (known: ${TEMPLATE_VARIABLES.join(', ')}); the asset would fail in sluice too`,
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
  return text.replace(PLACEHOLDER_PATTERN, (whole, found: string) => (found === name ? value : whole));
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
