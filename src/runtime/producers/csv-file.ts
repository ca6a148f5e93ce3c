// Writing query results as RFC 4180 CSV, to a temporary name beside the target that is renamed into place.

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field. NULL is an empty unquoted field and an empty string is `""`, as PostgreSQL's COPY and
 * sluice's CSV reader tell them apart. Dates are ISO-8601, bytes PostgreSQL's `\x` hex, nested values JSON.
 * @example csvField('a,b') // '"a,b"'; csvField(null) // ''; csvField('') // '""'
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? '' : value.toISOString();
  else if (value instanceof Uint8Array) text = `\\x${Buffer.from(value).toString('hex')}`;
  else text = JSON.stringify(value) ?? '';
  return text === '' || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A CSV record with a CRLF-free `\n` line end.
 * @example csvLine(['id', 'name']) // 'id,name\n'
 */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

/**
 * Writes `lines` to `path` atomically: into a hidden temporary file in the same folder (created when
 * missing), flushed to disk, then renamed over `path`. Readers see the old file or the whole new one; on
 * any failure, or when `signal` aborts before the rename, the temporary file is removed and `path` is
 * left as it was.
 * @example await writeFileAtomically('/data/out.csv', [csvLine(['id']), csvLine([1])], signal);
 */
export async function writeFileAtomically(path: string, lines: Iterable<string>, signal?: AbortSignal): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const file = await open(temp, 'wx');
  let renamed = false;
  try {
    let chunk = '';
    for (const line of lines) {
      chunk += line;
      // Written in pieces so a large table does not become one huge string.
      if (chunk.length >= 1 << 16) {
        await file.write(chunk);
        chunk = '';
        signal?.throwIfAborted();
      }
    }
    if (chunk !== '') await file.write(chunk);
    await file.sync();
    await file.close();
    signal?.throwIfAborted();
    await rename(temp, path);
    renamed = true;
  } finally {
    if (!renamed) {
      await file.close().catch(() => undefined);
      await rm(temp, { force: true });
    }
  }
}
