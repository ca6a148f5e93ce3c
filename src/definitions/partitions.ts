// Time-window partitions: which keys exist, and the window each key stands for, in a time zone.

import type { PartitionWindow } from './context.js';
import type { PartitionsSpec } from './schema.js';

/** Wall-clock fields in the partition's time zone. Months are 1-based. */
interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetAt(instant: number, tz: string): number {
  if (tz === 'UTC') return 0;
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(instant))) parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time in `tz` happens (DST gaps resolve forward). */
function wallToInstant(w: Wall, tz: string): number {
  const guess = Date.UTC(w.y, w.mo - 1, w.d, w.h);
  const first = guess - offsetAt(guess, tz);
  return guess - offsetAt(first, tz);
}

/** Normalizes fields that overflowed (day 32, hour 24) through UTC arithmetic, which has no DST. */
function normalize(w: Wall): Wall {
  const t = new Date(Date.UTC(w.y, w.mo - 1, w.d, w.h));
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours() };
}

function instantToWall(instant: number, tz: string): Wall {
  const t = new Date(instant + offsetAt(instant, tz));
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours() };
}

/** The first window boundary at or after `w`. Weeks start on Sunday, as cron's @weekly and Dagster's do. */
function alignUp(w: Wall, g: PartitionsSpec['granularity']): Wall {
  switch (g) {
    case 'hourly':
      return w;
    case 'daily':
      return w.h === 0 ? w : normalize({ ...w, d: w.d + 1, h: 0 });
    case 'weekly': {
      const day = alignUp(w, 'daily');
      const dow = new Date(Date.UTC(day.y, day.mo - 1, day.d)).getUTCDay();
      return dow === 0 ? day : normalize({ ...day, d: day.d + (7 - dow) });
    }
    case 'monthly':
      return w.d === 1 && w.h === 0 ? w : normalize({ y: w.y, mo: w.mo + 1, d: 1, h: 0 });
  }
}

/** The window start `n` windows after `w` (before it when negative); a day stays a calendar day across DST. */
function next(w: Wall, g: PartitionsSpec['granularity'], n = 1): Wall {
  switch (g) {
    case 'hourly':
      return normalize({ ...w, h: w.h + n });
    case 'daily':
      return normalize({ ...w, d: w.d + n });
    case 'weekly':
      return normalize({ ...w, d: w.d + 7 * n });
    case 'monthly':
      return normalize({ ...w, mo: w.mo + n });
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function keyOf(w: Wall, g: PartitionsSpec['granularity']): string {
  const day = `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}`;
  return g === 'hourly' ? `${day}-${pad(w.h)}:00` : day;
}

function parseWall(text: string): Wall | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T-](\d{2}):(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const w = { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]), h: m[4] ? Number(m[4]) : 0 };
  const round = normalize(w);
  return round.y === w.y && round.mo === w.mo && round.d === w.d && round.h === w.h ? w : undefined;
}

function sameWall(a: Wall, b: Wall): boolean {
  return a.y === b.y && a.mo === b.mo && a.d === b.d && a.h === b.h;
}

function compareWall(a: Wall, b: Wall): number {
  return a.y - b.y || a.mo - b.mo || a.d - b.d || a.h - b.h;
}

/** The start of the set's first window. */
function firstWall(spec: PartitionsSpec): Wall {
  return alignUp(parseWall(spec.start) as Wall, spec.granularity);
}

/**
 * The instant a wall-clock date or time (`2025-01-10`, `2025-01-10T06:00`) happens in `timezone`.
 * @example wallClockInstant('2025-03-30', 'Europe/Berlin').toISOString() // '2025-03-29T23:00:00.000Z'
 */
export function wallClockInstant(text: string, timezone: string): Date | undefined {
  const w = parseWall(text.length >= 16 ? `${text.slice(0, 10)}T${text.slice(11, 16)}` : text);
  return w ? new Date(wallToInstant(w, timezone)) : undefined;
}

/** The window `key` stands for, or undefined if the key is not of this partition set's shape. */
export function partitionWindow(spec: PartitionsSpec, key: string): PartitionWindow | undefined {
  const w = parseWall(key);
  if (!w || !sameWall(alignUp(w, spec.granularity), w) || keyOf(w, spec.granularity) !== key) return undefined;
  return {
    key,
    start: new Date(wallToInstant(w, spec.timezone)),
    end: new Date(wallToInstant(next(w, spec.granularity), spec.timezone)),
  };
}

/** The last wall-clock window start that belongs to the set as of `now` (complete windows, then endOffset). */
function lastWall(spec: PartitionsSpec, now: Date): Wall {
  const g = spec.granularity;
  // `end` is exclusive: the last window is the one that ends at or before it. Without `end`, the window
  // that contains `now` is still open; the one before it is the newest complete one.
  const bound = spec.end ? (parseWall(spec.end) as Wall) : instantToWall(now.getTime(), spec.timezone);
  let w = firstWall(spec);
  let last: Wall | undefined;
  for (let following = next(w, g); compareWall(following, bound) <= 0; following = next(w, g)) {
    last = w;
    w = following;
  }
  if (!last) return { y: 0, mo: 1, d: 1, h: 0 };
  return spec.end || spec.endOffset <= 0 ? last : next(last, g, spec.endOffset);
}

/**
 * Every partition key from `start` to the newest complete window as of `now` (shifted by `endOffset`,
 * or up to `end` when set), oldest first.
 * @example partitionKeys({ granularity: 'daily', start: '2025-01-01', timezone: 'UTC', endOffset: 0, type: 'time' }, new Date('2025-01-03T12:00Z'))
 * // ['2025-01-01', '2025-01-02']
 */
export function partitionKeys(spec: PartitionsSpec, now: Date = new Date()): string[] {
  const last = lastWall(spec, now);
  const keys: string[] = [];
  for (let w = firstWall(spec); compareWall(w, last) <= 0; w = next(w, spec.granularity)) keys.push(keyOf(w, spec.granularity));
  return keys;
}

/** Whether `key` is a partition of the set as of `now`, with a reason when it is not. */
export function checkPartitionKey(spec: PartitionsSpec, key: string, now: Date = new Date()): string | undefined {
  const w = parseWall(key);
  const example = spec.granularity === 'hourly' ? '2025-01-10-06:00' : '2025-01-10';
  if (!w || keyOf(w, spec.granularity) !== key) return `"${key}" is not a ${spec.granularity} partition key (like ${example})`;
  if (!sameWall(alignUp(w, spec.granularity), w)) return `"${key}" does not start a ${spec.granularity} window`;
  const first = firstWall(spec);
  if (compareWall(w, first) < 0) return `"${key}" is before the first partition ${keyOf(first, spec.granularity)}`;
  const last = lastWall(spec, now);
  if (compareWall(w, last) > 0) return `"${key}" is after the newest partition ${keyOf(last, spec.granularity)}`;
  return undefined;
}

/** Keys from `from` to `to`, both inclusive; each must be in the set. */
export function partitionRange(spec: PartitionsSpec, from: string, to: string, now: Date = new Date()): string[] {
  const all = partitionKeys(spec, now);
  const a = all.indexOf(from);
  const b = all.indexOf(to);
  return a === -1 || b === -1 || a > b ? [] : all.slice(a, b + 1);
}

/**
 * The key `offset` windows after `key` (before it when negative), or undefined when that window starts
 * before the set's first partition — the "no previous partition" case of a first run. `key` must be a
 * key of the set (see checkPartitionKey); keys after the newest partition are allowed, so +1 works.
 * @example shiftPartitionKey({ granularity: 'daily', start: '2025-01-01', timezone: 'UTC', endOffset: 0, type: 'time' }, '2025-01-10', -1)
 * // '2025-01-09'
 */
export function shiftPartitionKey(spec: PartitionsSpec, key: string, offset: number): string | undefined {
  const w = parseWall(key);
  if (!w) return undefined;
  const shifted = next(w, spec.granularity, offset);
  return compareWall(shifted, firstWall(spec)) < 0 ? undefined : keyOf(shifted, spec.granularity);
}
