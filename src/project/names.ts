// Turning asset keys into source text: variable names and string literals for generated code.

const RESERVED = new Set(
  (
    'arguments await break case catch class const continue debugger default delete do else enum eval export extends ' +
    'false finally for function if implements import in instanceof interface let new null package private protected ' +
    'public return static super switch this throw true try typeof var void while with yield undefined'
  ).split(' '),
);

/**
 * A camelCase variable name for an asset key, avoiding reserved words and every name in `taken`.
 * @example variableNameFor('analytics.mau_summary', new Set()) // 'analyticsMauSummary'
 */
export function variableNameFor(key: string, taken: ReadonlySet<string>): string {
  const parts = key
    // Accented letters keep their base letter (délai → delai) instead of splitting the word.
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    // SHOUTING parts (SAP.SEGMENTATION_FLAG) read better folded: sapSegmentationFlag.
    .map((p) => (p === p.toUpperCase() ? p.toLowerCase() : p));
  let name = parts.map((p, i) => (i === 0 ? p[0]!.toLowerCase() + p.slice(1) : p[0]!.toUpperCase() + p.slice(1))).join('');
  if (name === '' || /^[0-9]/.test(name)) name = `asset${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  if (RESERVED.has(name)) name = `${name}Asset`;
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
  return unique;
}

/**
 * A JavaScript string literal: single quotes unless the text holds one and no double quote, as Biome
 * and Prettier would print it.
 * @example stringLiteral("it's") // "\"it's\""
 */
export function stringLiteral(text: string): string {
  if (text.includes("'") && !text.includes('"')) return JSON.stringify(text);
  const body = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${body}'`;
}
