// plan(): levels, wait steps for sources, partition expansion and its errors, and determinism.
import { describe, expect, it } from 'vitest';
import { type PlanStep, plan } from '../../src/graph/index.js';
import { asset, SelectionError, sourceAsset } from '../../src/index.js';
import { graphOf, produce, thrown } from './fixture.js';

const ids = (levels: PlanStep[][]) => levels.map((level) => level.map((step) => step.id));

describe('plan', () => {
  const src = sourceAsset('d.src');
  const left = asset('d.left', { deps: [src], produce });
  const right = asset('d.right', { deps: [src], produce });
  const top = asset('d.top', { deps: [right, left], produce });
  const diamond = graphOf([top, right, left, src]);

  it('levels a diamond, sources first as wait steps', () => {
    expect(plan(diamond, '*')).toEqual({
      selection: '*',
      partitions: [],
      levels: [
        [{ id: 'd.src', key: 'd.src', partition: null, action: 'wait', level: 0, after: [] }],
        [
          { id: 'd.left', key: 'd.left', partition: null, action: 'produce', level: 1, after: ['d.src'] },
          { id: 'd.right', key: 'd.right', partition: null, action: 'produce', level: 1, after: ['d.src'] },
        ],
        [{ id: 'd.top', key: 'd.top', partition: null, action: 'produce', level: 2, after: ['d.left', 'd.right'] }],
      ],
    });
  });

  it('adds the sources selected assets read, but not unselected produced deps', () => {
    expect(ids(plan(diamond, 'd.left').levels)).toEqual([['d.src'], ['d.left']]);
    expect(plan(diamond, 'd.top').levels).toEqual([
      [{ id: 'd.top', key: 'd.top', partition: null, action: 'produce', level: 0, after: [] }],
    ]);
    expect(ids(plan(diamond, 'd.src').levels)).toEqual([['d.src']]);
  });

  it('is deterministic: the same definitions in another order give the same JSON', () => {
    const again = graphOf([src, left, top, right]);
    expect(JSON.stringify(plan(again, '+d.top'))).toBe(JSON.stringify(plan(diamond, '+d.top')));
  });
});

describe('plan with partitions', () => {
  const daily = { granularity: 'daily', start: '2025-01-10' } as const;
  const now = new Date('2025-01-12T05:00:00Z');
  const events = sourceAsset('raw.events');
  const users = asset('dim.users', { produce });
  const staged = asset('stg.events', { deps: [events, users], produce, partitions: daily });
  const dailyMart = asset('mart.daily', { deps: [staged], produce, partitions: daily });
  const report = asset('mart.report', { deps: [dailyMart], produce });
  const graph = graphOf([events, users, staged, dailyMart, report]);

  it('gives a partitioned asset one step per partition, wired by the dependency rules', () => {
    const result = plan(graph, '*', { from: '2025-01-10', to: '2025-01-11', now });
    expect(result.partitions).toEqual(['2025-01-10', '2025-01-11']);
    expect(result.levels.map((level) => level.map((s) => [s.id, s.after]))).toEqual([
      [
        ['dim.users', []],
        ['raw.events', []],
      ],
      [
        ['stg.events@2025-01-10', ['dim.users', 'raw.events']],
        ['stg.events@2025-01-11', ['dim.users', 'raw.events']],
      ],
      [
        ['mart.daily@2025-01-10', ['stg.events@2025-01-10']],
        ['mart.daily@2025-01-11', ['stg.events@2025-01-11']],
      ],
      [['mart.report', ['mart.daily@2025-01-10', 'mart.daily@2025-01-11']]],
    ]);
    const step = result.levels[2]![1]!;
    expect(step).toEqual({
      id: 'mart.daily@2025-01-11',
      key: 'mart.daily',
      partition: '2025-01-11',
      action: 'produce',
      level: 2,
      after: ['stg.events@2025-01-11'],
    });
  });

  it('plans one partition', () => {
    const result = plan(graph, 'mart.daily', { partition: '2025-01-11', now });
    expect(result.partitions).toEqual(['2025-01-11']);
    expect(ids(result.levels)).toEqual([['mart.daily@2025-01-11']]);
  });

  it('chains partitions of a dependsOnPast asset', () => {
    const chained = asset('mart.daily', { deps: [staged], produce, partitions: daily, dependsOnPast: true });
    const result = plan(graphOf([events, users, staged, chained]), 'mart.daily', { from: '2025-01-10', to: '2025-01-11', now });
    expect(result.levels.map((level) => level.map((s) => [s.id, s.after]))).toEqual([
      [['mart.daily@2025-01-10', []]],
      [['mart.daily@2025-01-11', ['mart.daily@2025-01-10']]],
    ]);
  });

  it('maps partitions that cut time differently by overlapping windows', () => {
    const days = asset('x.days', { produce, partitions: { granularity: 'daily', start: '2025-01-01' } });
    const months = asset('x.months', { deps: [days], produce, partitions: { granularity: 'monthly', start: '2025-01-01' } });
    const result = plan(graphOf([days, months]), '*', { from: '2025-01-01', to: '2025-02-01', now: new Date('2025-03-15') });
    const monthSteps = result.levels.flat().filter((s) => s.key === 'x.months');
    expect(monthSteps.map((s) => [s.id, s.after.length, s.after[0], s.after.at(-1)])).toEqual([
      ['x.months@2025-01-01', 31, 'x.days@2025-01-01', 'x.days@2025-01-31'],
      ['x.months@2025-02-01', 1, 'x.days@2025-02-01', 'x.days@2025-02-01'],
    ]);
    expect(result.partitions).toHaveLength(32);
  });

  it('rejects a partition key not in an asset set, naming asset, key and reason', () => {
    const bad = (partition: string) => thrown(SelectionError, () => plan(graph, '*', { partition, now })).message;
    expect(bad('2025-01-32')).toBe('asset "mart.daily": partition: "2025-01-32" is not a daily partition key (like 2025-01-10)');
    expect(bad('2025-01-09')).toBe('asset "mart.daily": partition: "2025-01-09" is before the first partition 2025-01-10');
    expect(bad('2025-01-12')).toBe('asset "mart.daily": partition: "2025-01-12" is after the newest partition 2025-01-11');
    expect(thrown(SelectionError, () => plan(graph, '*', { from: '2025-01-11', to: '2025-01-10', now })).message).toBe(
      'asset "mart.daily": partition: the range starts at "2025-01-11", after its end "2025-01-10"',
    );
  });

  it('says when partitions are missing, given to unpartitioned assets, or given twice', () => {
    expect(thrown(SelectionError, () => plan(graph, '*', { now })).message).toBe(
      'asset "mart.daily" is partitioned (daily from 2025-01-10): choose a partition or a from/to range',
    );
    expect(thrown(SelectionError, () => plan(graph, 'dim.users', { partition: '2025-01-10', now })).message).toBe(
      'partition "2025-01-10" given, but no asset in selection "dim.users" is partitioned',
    );
    expect(thrown(SelectionError, () => plan(graph, '*', { partition: '2025-01-10', from: '2025-01-10', now })).message).toBe(
      'give either a partition or a from/to range, not both',
    );
    expect(thrown(SelectionError, () => plan(graph, '*', { from: '2025-01-10', now })).message).toBe(
      'a partition range needs both from and to (both inclusive)',
    );
  });
});
