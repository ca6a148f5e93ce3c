// Import lines for generated Python: merged per module, standard library first, each group sorted (isort's order).

const STDLIB = new Set([
  '__future__',
  'contextlib',
  'datetime',
  'email',
  'hashlib',
  'json',
  'os',
  'smtplib',
  'subprocess',
  'time',
  'urllib',
  'zoneinfo',
]);

/** The two import blocks of a generated module. */
export interface ImportBlocks {
  stdlib: string[];
  thirdParty: string[];
}

/**
 * Groups `import x` / `from x import a, b` lines the way isort would: `from` lines of one module merged, names sorted.
 * @example sortImports(new Set(['from a import y', 'import os', 'from a import x'])) // { stdlib: ['import os'], thirdParty: ['from a import x, y'] }
 */
export function sortImports(lines: Iterable<string>): ImportBlocks {
  const plain = new Set<string>();
  const from = new Map<string, Set<string>>();
  for (const line of lines) {
    const m = /^from (\S+) import (.+)$/.exec(line);
    if (!m) {
      plain.add(line);
      continue;
    }
    const module = m[1] as string;
    const names = from.get(module) ?? new Set<string>();
    for (const name of (m[2] as string).split(', ')) names.add(name);
    from.set(module, names);
  }
  const blocks: ImportBlocks = { stdlib: [], thirdParty: [] };
  const top = (module: string) => module.split('.')[0] as string;
  // Code-unit order, as isort sorts module paths: 'prefect.blocks' before 'prefect_email'.
  const byModule = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const module of [...plain].map((l) => l.slice('import '.length)).sort(byModule)) {
    (STDLIB.has(top(module)) ? blocks.stdlib : blocks.thirdParty).push(`import ${module}`);
  }
  for (const module of [...from.keys()].sort(byModule)) {
    const line = `from ${module} import ${[...(from.get(module) as Set<string>)].sort().join(', ')}`;
    (STDLIB.has(top(module)) ? blocks.stdlib : blocks.thirdParty).push(line);
  }
  return blocks;
}
