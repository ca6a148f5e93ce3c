// The `{{ name }}` placeholders sluice fills at run time: one pattern and one list of names for the runtime and the exporters.

/**
 * Every placeholder name the runtime fills in SQL, commands, URLs, bodies, headers and paths: `ds` (the
 * partition's date, else the run's date), `ds_nodash`, `run_id`, `partition_key`, and the window as ISO-8601 UTC
 * instants: `partition_start`/`partition_end` and their Airflow names `data_interval_start`/`_end` (empty when
 * unpartitioned). Any other name fails the asset at run time, and fails an export for the same reason.
 * @example TEMPLATE_VARIABLES.includes('ds_nodash') // true
 */
export const TEMPLATE_VARIABLES = [
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
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/**
 * A placeholder: `{{`, optional spaces, an identifier (group 1), optional spaces, `}}`. Anything else is text.
 * It is global and shared, so use it only with `replace`/`replaceAll`/`matchAll`, which never start from a
 * previous call's position; `exec`/`test` would leave `lastIndex` behind for the next user.
 * @example 'a {{ ds }} b'.replace(PLACEHOLDER_PATTERN, (_, name) => name.toUpperCase()) // 'a DS b'
 */
export const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
