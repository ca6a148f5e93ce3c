// `sluice new asset`: adds an asset declaration to a module by editing its syntax tree with ts-morph.

import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ImportDeclaration, Node, SourceFile } from 'ts-morph';
import { DefinitionError } from '../definitions/errors.js';
import { assetKey } from '../definitions/schema.js';
import { isLoadedModulePath, toPosixRelative } from './files.js';
import { loadProject } from './load.js';
import { stringLiteral, variableNameFor } from './names.js';

/** What `addAssetDeclaration` should write. */
export interface AddAssetOptions {
  /** Project root (absolute, or relative to the working folder). */
  root: string;
  /** The module to add to, relative to the root, e.g. 'assets/orders.ts'; created when missing. */
  module: string;
  key: string;
  /** Upstream asset keys, written as strings (checked by generated/asset-keys.ts once `sluice types` ran). */
  deps?: string[];
  /** The placeholder producer: `sql` (default), `shell` or `fn`. */
  producer?: 'sql' | 'shell' | 'fn';
}

const PLACEHOLDER = {
  sql: (name: string) => `${name}({ sql: 'SELECT 1' })`,
  shell: (name: string) => `${name}({ command: 'echo TODO' })`,
  fn: (name: string) => `${name}(async (ctx) => {})`,
};

/**
 * Adds `export const <name> = asset('<key>', { deps, produce })` to a module, merging `asset` and the
 * producer builder into its imports from 'sluice'. Refuses an invalid key, a key the project already
 * has, and a module the project would not load. Returns the module (posix, relative) and the name.
 * @throws DefinitionError (exit status 2)
 * @example
 * await addAssetDeclaration({ root: '.', module: 'assets/orders.ts', key: 'mart.orders', deps: ['raw.orders'] });
 * // → { file: 'assets/orders.ts', exportName: 'martOrders' }
 */
export async function addAssetDeclaration(options: AddAssetOptions): Promise<{ file: string; exportName: string }> {
  const { key, deps = [], producer = 'sql' } = options;
  checkKey(key, undefined);
  for (const [i, dep] of deps.entries()) checkKey(dep, { key, field: `deps.${i}` });

  const project = await loadProject(options.root);
  const path = resolve(project.root, options.module);
  const file = toPosixRelative(project.root, path);
  if (isAbsolute(relative(project.root, path)) || file.startsWith('../') || !isLoadedModulePath(file, project.config.assets)) {
    const where = project.config.assets.map((a) => `"${a}"`).join(', ');
    throw new DefinitionError(`is not an asset module of this project: put it under ${where} (see sluice.config.ts)`, {
      file,
    });
  }
  const existing = project.assets.find((a) => a.definition.key === key);
  if (existing) {
    throw new DefinitionError(`already exists in ${existing.file} (export ${existing.exportName}); choose another key`, { key });
  }

  const { Project, QuoteKind, IndentationText, SyntaxKind, VariableDeclarationKind } = await import('ts-morph');
  const tsProject = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    manipulationSettings: { quoteKind: QuoteKind.Single, indentationText: IndentationText.TwoSpaces },
  });
  const isNew = !existsSync(path);
  const source = isNew ? tsProject.createSourceFile(path, '') : tsProject.addSourceFileAtPath(path);

  const taken = boundNames(source, SyntaxKind);
  const names = importFromSluice(source, ['asset', producer], taken);
  const exportName = variableNameFor(key, taken);

  const statement = source.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    declarations: [{ name: exportName, initializer: `${names.asset}(${stringLiteral(key)}, {})` }],
  });
  const fields = statement
    .getDeclarations()[0]!
    .getInitializerIfKindOrThrow(SyntaxKind.CallExpression)
    .getArguments()[1]!
    .asKindOrThrow(SyntaxKind.ObjectLiteralExpression);
  fields.addPropertyAssignments([
    ...(deps.length > 0 ? [{ name: 'deps', initializer: `[${deps.map(stringLiteral).join(', ')}]` }] : []),
    { name: 'produce', initializer: PLACEHOLDER[producer](names[producer]!) },
  ]);
  if (producer === 'fn') {
    // setBodyText indents the block for its place in the tree; a multi-line initializer string would not be.
    const call = fields.getPropertyOrThrow('produce').asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerOrThrow();
    const arrow = call.asKindOrThrow(SyntaxKind.CallExpression).getArguments()[0]!.asKindOrThrow(SyntaxKind.ArrowFunction);
    arrow.setBodyText(`ctx.log.info(${stringLiteral(`TODO: produce ${key}`)});`);
  }
  ensureBlankLineBefore(statement);
  // Trailing comma after the last property, as Biome and Prettier print multi-line objects.
  const last = fields.getProperties().at(-1)!;
  source.insertText(last.getEnd(), ',');
  if (isNew)
    source.insertStatements(0, (w) => w.writeLine(`// Assets added with \`sluice new asset\`; edit freely.`).blankLine());

  await source.save();
  return { file, exportName };
}

function checkKey(key: string, where: { key: string; field: string } | undefined): void {
  const result = assetKey.safeParse(key);
  if (result.success) return;
  const detail = result.error.issues[0]?.message ?? 'is invalid';
  throw new DefinitionError(
    where ? `${JSON.stringify(key)} ${detail}` : `invalid asset key ${JSON.stringify(key)}: ${detail}`,
    where,
  );
}

// Every identifier that may be a binding; names after a dot or before a colon in an object are not.
function boundNames(source: SourceFile, kinds: typeof import('ts-morph').SyntaxKind): Set<string> {
  const memberName = new Set([
    kinds.PropertyAssignment,
    kinds.PropertyAccessExpression,
    kinds.PropertySignature,
    kinds.PropertyDeclaration,
    kinds.MethodDeclaration,
    kinds.MethodSignature,
    kinds.EnumMember,
  ]);
  const names = new Set<string>();
  for (const id of source.getDescendantsOfKind(kinds.Identifier)) {
    const parent: Node | undefined = id.getParent();
    const isMemberName =
      parent && memberName.has(parent.getKind()) && (parent as Node & { getNameNode(): Node }).getNameNode() === id;
    if (!isMemberName) names.add(id.getText());
  }
  return names;
}

/**
 * Makes each of `wanted` importable from 'sluice' in `source`: reuses an existing import (and its
 * alias), merges into an existing `import { … } from 'sluice'`, or adds one after the header comment.
 * Returns the local name of each.
 */
function importFromSluice(source: SourceFile, wanted: readonly string[], taken: Set<string>): Record<string, string> {
  const local: Record<string, string> = {};
  const declarations = source.getImportDeclarations().filter((d) => d.getModuleSpecifierValue() === 'sluice' && !d.isTypeOnly());
  for (const d of declarations) {
    for (const spec of d.getNamedImports()) {
      if (!spec.isTypeOnly() && wanted.includes(spec.getName()))
        local[spec.getName()] = spec.getAliasNode()?.getText() ?? spec.getName();
    }
  }
  const missing = wanted.filter((w) => local[w] === undefined);
  if (missing.length === 0) return local;
  // A local binding of the same name (not from sluice) must not be shadowed: import under an alias.
  const specifiers = missing.map((name) => {
    const alias = taken.has(name) ? variableNameFor(`sluice ${name}`, taken) : undefined;
    local[name] = alias ?? name;
    taken.add(alias ?? name);
    return alias ? { name, alias } : { name };
  });
  const target = declarations.find((d) => d.getNamedImports().length > 0);
  if (target) {
    for (const spec of specifiers) target.insertNamedImport(sortedIndex(target, spec.name), spec);
  } else {
    const imports = source.getImportDeclarations();
    if (imports.length > 0) source.addImportDeclaration({ moduleSpecifier: 'sluice', namedImports: specifiers });
    else insertFirstImport(source, specifiers);
  }
  return local;
}

// Keeps an alphabetised import list alphabetised (case-insensitive, as Biome sorts); else appends.
function sortedIndex(declaration: ImportDeclaration, name: string): number {
  const names = declaration.getNamedImports().map((s) => s.getName());
  const order = (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase()) || (a < b ? -1 : a > b ? 1 : 0);
  const sorted = names.every((n, i) => i === 0 || order(names[i - 1]!, n) <= 0);
  if (!sorted) return names.length;
  const index = names.findIndex((n) => order(n, name) > 0);
  return index === -1 ? names.length : index;
}

// The first import goes below the file's header comment (the house style opens every file with one).
function insertFirstImport(source: SourceFile, namedImports: { name: string; alias?: string }[]): void {
  const statements = source.getStatementsWithComments();
  const firstCode = statements.findIndex((s) => !s.getKindName().endsWith('CommentTrivia'));
  const index = firstCode === -1 ? statements.length : firstCode;
  const declaration = source.insertImportDeclaration(index, { moduleSpecifier: 'sluice', namedImports });
  ensureBlankLineBefore(declaration);
}

// Top-level statements are separated by one blank line; ts-morph adds one in some places and not others.
function ensureBlankLineBefore(node: Node): void {
  const previous = node.getPreviousSibling();
  if (!previous) return;
  const gap = node.getSourceFile().getFullText().slice(previous.getEnd(), node.getStart());
  if ((gap.match(/\n/g) ?? []).length < 2) node.prependWhitespace('\n');
}
