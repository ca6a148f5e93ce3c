// SQL the exporters write around user SQL (table names, CTAS, swap, checks, timeouts), as sluice's warehouses do.

import { type CheckSpec, ExportError } from '../definitions/index.js';
import { fillStatic } from './text.js';
import type { SqlDialect, TargetName } from './types.js';

// Check names are defined once, in definitions, for the runtime and every target; still importable from here.
export { checkNames } from '../definitions/check-names.js';

// Words that cannot stand unquoted as a table or column name in Snowflake or PostgreSQL.
const RESERVED = new Set(
  (
    'all alter and any as asc between by case cast check column constraint create cross current current_date ' +
    'current_time current_timestamp current_user default delete desc distinct drop else end except exists false ' +
    'fetch for foreign from full grant group having ilike in inner insert intersect into is join lateral left like ' +
    'limit natural not null of offset on or order outer primary qualify references right rlike row rows sample ' +
    'select set some start table tablesample then to trigger true union unique update user using values view when ' +
    'where with'
  ).split(' '),
);

const SIMPLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a table name is needed, so a bad one can be reported against the asset. */
export interface SqlSite {
  target: TargetName;
  dialect: SqlDialect;
  assetKey: string;
}

/** A table as sluice's warehouses read an asset key: `schema.name` or `name`, parts optionally double-quoted. */
interface Table {
  schema: Part | undefined;
  name: Part;
}

interface Part {
  text: string;
  quoted: boolean;
}

function parseParts(key: string, site: SqlSite): Part[] {
  const fail = (why: string) =>
    new ExportError(
      site.target,
      'table',
      site.assetKey,
      `"${key}" ${why}; a table asset's key is "table" or "schema.table" (quote a part to hold dots or quotes)`,
    );
  const parts: Part[] = [];
  let i = 0;
  for (;;) {
    if (key[i] === '"') {
      let text = '';
      for (i++; ; i++) {
        if (i >= key.length) throw fail('has an unterminated quote');
        if (key[i] === '"' && key[i + 1] !== '"') break;
        if (key[i] === '"') i++;
        text += key[i];
      }
      i++;
      parts.push({ text, quoted: true });
    } else {
      const end = key.indexOf('.', i);
      const text = (end === -1 ? key.slice(i) : key.slice(i, end)).trim();
      if (text.includes('"')) throw fail('has a quote inside an unquoted part');
      parts.push({ text, quoted: false });
      i = end === -1 ? key.length : end;
    }
    if ((parts.at(-1) as Part).text === '') throw fail('has an empty part');
    if (i >= key.length) break;
    if (key[i] !== '.') throw fail('needs a "." after a quoted part');
    i++;
  }
  if (parts.length > 2) throw fail(`has ${parts.length} parts`);
  return parts;
}

function table(key: string, site: SqlSite): Table {
  const parts = parseParts(key, site);
  return parts.length === 1 ? { schema: undefined, name: parts[0] as Part } : { schema: parts[0], name: parts[1] as Part };
}

/**
 * One identifier as sluice's warehouse would name it: bare simple names fold as the dialect folds unquoted SQL
 * (and are written bare, which means the same), keywords are quoted in their folded form, anything else is quoted
 * exactly with quotes doubled.
 * @example ident({ text: 'mau_summary', quoted: false }, 'snowflake') // 'mau_summary'
 */
function ident(part: Part, dialect: SqlDialect): string {
  if (!part.quoted && SIMPLE.test(part.text)) {
    if (!RESERVED.has(part.text.toLowerCase())) return part.text;
    return `"${dialect === 'snowflake' ? part.text.toUpperCase() : part.text.toLowerCase()}"`;
  }
  return `"${part.text.replaceAll('"', '""')}"`;
}

function qualified(t: Table, dialect: SqlDialect): string {
  return t.schema ? `${ident(t.schema, dialect)}.${ident(t.name, dialect)}` : ident(t.name, dialect);
}

/** The qualified table name for an asset key. @example tableName('analytics.mau', site) // 'analytics.mau' */
export function tableName(key: string, site: SqlSite): string {
  return qualified(table(key, site), site.dialect);
}

const bare = (select: string) => select.replace(/;\s*$/, '');

/**
 * Statements that create or replace the key's table from `select`: Snowflake's CREATE OR REPLACE TABLE; on
 * PostgreSQL a table built aside and renamed over the old one, in the caller's transaction, so the published table
 * is locked only for the rename (as sluice's PostgreSQL warehouse does).
 */
export function ctasStatements(key: string, select: string, site: SqlSite): string[] {
  const t = table(key, site);
  if (site.dialect === 'snowflake') return [`CREATE OR REPLACE TABLE ${qualified(t, 'snowflake')} AS\n${bare(select)}`];
  const aside: Table = { schema: t.schema, name: { text: `${t.name.text}__sluice_new`, quoted: t.name.quoted } };
  return [
    `DROP TABLE IF EXISTS ${qualified(aside, 'postgres')}`,
    `CREATE TABLE ${qualified(aside, 'postgres')} AS\n${bare(select)}`,
    `DROP TABLE IF EXISTS ${qualified(t, 'postgres')}`,
    `ALTER TABLE ${qualified(aside, 'postgres')} RENAME TO ${ident(t.name, 'postgres')}`,
  ];
}

/**
 * Statements that make `source`'s table the published `target` and drop `source`, creating `target` on the first
 * run: Snowflake `ALTER TABLE ... SWAP WITH`; elsewhere a rename pair run in one transaction by the caller.
 */
export function swapStatements(target: string, source: string, site: SqlSite): string[] {
  const to = table(target, site);
  const from = table(source, site);
  if (site.dialect === 'snowflake') {
    return [
      `CREATE TABLE IF NOT EXISTS ${qualified(to, 'snowflake')} LIKE ${qualified(from, 'snowflake')}`,
      `ALTER TABLE ${qualified(to, 'snowflake')} SWAP WITH ${qualified(from, 'snowflake')}`,
      `DROP TABLE ${qualified(from, 'snowflake')}`,
    ];
  }
  const statements = [
    `DROP TABLE IF EXISTS ${qualified(to, 'postgres')}`,
    `ALTER TABLE ${qualified(from, 'postgres')} RENAME TO ${ident(to.name, 'postgres')}`,
  ];
  if ((to.schema?.text ?? '') !== (from.schema?.text ?? '')) {
    // RENAME keeps the table in its schema; moving it is a second statement of the same transaction.
    const renamed: Table = { schema: from.schema, name: to.name };
    statements.push(
      `ALTER TABLE ${qualified(renamed, 'postgres')} SET SCHEMA ${to.schema ? ident(to.schema, 'postgres') : 'public'}`,
    );
  }
  return statements;
}

function ageCutoff(dialect: SqlDialect, seconds: number): string {
  return dialect === 'snowflake' ? `DATEADD(second, -${seconds}, CURRENT_TIMESTAMP())` : `NOW() - INTERVAL '${seconds} seconds'`;
}

// User SQL is wrapped on its own lines so a trailing `-- comment` cannot swallow the closing parenthesis.
const subquery = (sql: string) => `(\n${bare(sql)}\n) AS q`;

/**
 * A query whose single value is true when `check` passes on the key's table (for Airflow's SQLCheckOperator, and
 * read as `bool(row[0])` elsewhere). A SQL check's `{{ table }}` is the checked table, as in sluice. Freshness
 * needs a column; callers reject it earlier when there is none.
 */
export function checkQuery(key: string, check: CheckSpec, site: SqlSite): string {
  const t = tableName(key, site);
  switch (check.type) {
    case 'row_count':
      return check.max === undefined
        ? `SELECT COUNT(*) >= ${check.min} FROM ${t}`
        : `SELECT COUNT(*) BETWEEN ${check.min} AND ${check.max} FROM ${t}`;
    case 'count_tolerance':
      // As sluice computes it: |n - m| / m in percent; against an empty table, 0 when both are empty, else 100.
      return (
        `SELECT CASE WHEN b.n = 0 THEN CASE WHEN a.n = 0 THEN 0 ELSE 100 END ELSE ABS(a.n - b.n) * 100.0 / b.n END <= ${check.tolerancePercent}\n` +
        `FROM (SELECT COUNT(*) AS n FROM ${t}) AS a, (SELECT COUNT(*) AS n FROM ${tableName(check.against, site)}) AS b`
      );
    case 'freshness':
      return `SELECT MAX(${ident({ text: check.column ?? '', quoted: true }, site.dialect)}) >= ${ageCutoff(site.dialect, check.maxAge / 1000)} FROM ${t}`;
    case 'sql':
      return `SELECT COUNT(*) ${check.expect === 'no_rows' ? '= 0' : '> 0'} FROM ${subquery(fillStatic(check.sql, 'table', t))}`;
  }
}

/**
 * A statement that bounds every following statement of the session to `seconds` (for targets without task timeouts).
 * @example timeoutStatement('postgres', 90) // 'SET statement_timeout = 90000'
 */
export function timeoutStatement(dialect: SqlDialect, seconds: number): string {
  return dialect === 'snowflake'
    ? `ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = ${Math.ceil(seconds)}`
    : `SET statement_timeout = ${Math.round(seconds * 1000)}`;
}
