// LineageGraph: what buildGraph rejects (with exact messages) and what its query methods answer.
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/graph/index.js';
import { asset, checks, ctas, GraphError, pipeline, SelectionError, sensors, sourceAsset, swap } from '../../src/index.js';
import { graphOf, produce, shopGraph, thrown } from './fixture.js';

const sessions = sourceAsset('raw_data.session_timestamp');

describe('buildGraph rejects', () => {
  it('a cycle, printing the whole path with each file', () => {
    const a = asset('a', { deps: ['c'], produce });
    const b = asset('b', { deps: ['a'], produce });
    const c = asset('c', { deps: ['b'], produce });
    const d = asset('d', { deps: ['a'], produce });
    const e = thrown(GraphError, () =>
      graphOf([
        [d, 'assets/d.ts'],
        [c, 'assets/c.ts'],
        [b, 'assets/b.ts'],
        [a, 'assets/a.ts'],
      ]),
    );
    expect(e.message).toBe('dependency cycle (each feeds the next): a (assets/a.ts) → b (assets/b.ts) → c (assets/c.ts) → a');
    expect(e.cycle).toEqual(['a', 'b', 'c', 'a']);
  });

  it('a cycle inside one file, naming the file once, and a self-dependency', () => {
    const x = asset('x', { deps: ['y'], produce });
    const y = asset('y', { deps: ['x'], produce });
    expect(thrown(GraphError, () => graphOf([x, y])).message).toBe(
      'assets/x.ts: dependency cycle (each feeds the next): x → y → x',
    );
    const self = asset('self', { deps: ['self'], produce });
    expect(thrown(GraphError, () => graphOf([self])).cycle).toEqual(['self', 'self']);
  });

  it('an unknown dep, suggesting the nearest key', () => {
    const mau = asset('analytics.mau', { deps: ['raw_data.sesion_timestamp'], produce });
    expect(thrown(GraphError, () => graphOf([sessions, mau])).message).toBe(
      'assets/x.ts: asset "analytics.mau": deps: unknown asset "raw_data.sesion_timestamp" — did you mean "raw_data.session_timestamp"?',
    );
  });

  it('an unknown dep that resembles nothing, without a suggestion', () => {
    const mau = asset('analytics.mau', { deps: ['sap.segmentation_flag'], produce });
    expect(thrown(GraphError, () => graphOf([sessions, mau])).message).toBe(
      'assets/x.ts: asset "analytics.mau": deps: unknown asset "sap.segmentation_flag"',
    );
  });

  it('a key declared twice, naming both files', () => {
    const e = thrown(GraphError, () =>
      buildGraph({
        assets: [
          { spec: sessions.spec, file: 'assets/elt.ts' },
          { spec: sessions.spec, file: 'assets/sources.ts' },
        ],
      }),
    );
    expect(e.message).toBe(
      'duplicate asset key "raw_data.session_timestamp": declared in assets/elt.ts and in assets/sources.ts',
    );
  });

  it('every broken reference at once, listed', () => {
    const a = asset('a', { deps: ['nope1', 'nope2'], produce });
    expect(thrown(GraphError, () => graphOf([a])).message).toBe(
      [
        '2 problems in the asset graph:',
        '  - assets/x.ts: asset "a": deps: unknown asset "nope1"',
        '  - assets/x.ts: asset "a": deps: unknown asset "nope2"',
      ].join('\n'),
    );
  });

  it('keys named outside deps that name no asset', () => {
    const temp = asset('analytics.temp_mau', { deps: [sessions], produce: ctas({ sql: 'SELECT 1' }) });
    const cases: [ReturnType<typeof asset>, string][] = [
      [
        asset('analytics.mau', { deps: [temp], produce: swap({ from: 'analytics.tmp_mau' }) }),
        'assets/x.ts: asset "analytics.mau": swap.from: unknown asset "analytics.tmp_mau" — did you mean "analytics.temp_mau"?',
      ],
      [
        asset('analytics.mau', {
          produce,
          checks: [checks.countTolerance({ against: 'raw_data.sessions', tolerancePercent: 2 })],
        }),
        'assets/x.ts: asset "analytics.mau": checks.0.against: unknown asset "raw_data.sessions"',
      ],
      [
        asset('analytics.mau', { produce, sensor: sensors.assetMaterialized({ asset: 'analytics.temp_mao' }) }),
        'assets/x.ts: asset "analytics.mau": sensor.asset: unknown asset "analytics.temp_mao" — did you mean "analytics.temp_mau"?',
      ],
    ];
    for (const [bad, message] of cases) expect(thrown(GraphError, () => graphOf([sessions, temp, bad])).message).toBe(message);
  });

  it('a swap whose source is not a dep, and a staging table that is an asset', () => {
    const temp = asset('t.temp', { produce });
    const mau = asset('t.mau', { produce: swap({ from: 't.temp' }) });
    expect(thrown(GraphError, () => graphOf([temp, mau])).message).toBe(
      'assets/x.ts: asset "t.mau": swap.from: "t.temp" must also be listed in deps, so it is built before the swap',
    );
    const built = asset('t.built', { produce: ctas({ sql: 'SELECT 1', staging: 't.temp' }) });
    expect(thrown(GraphError, () => graphOf([[temp, 'assets/temp.ts'], built])).message).toBe(
      'assets/x.ts: asset "t.built": ctas.staging: "t.temp" is an asset (assets/temp.ts); the staging table would overwrite it',
    );
    const scratch = asset('t.built', { produce: ctas({ sql: 'SELECT 1', staging: 't.built_staging' }) });
    expect(graphOf([scratch]).size).toBe(1);
  });

  it('a pipeline that selects nothing, or does not parse, naming pipeline and file', () => {
    const a = asset('a', { produce, tags: ['elt'] });
    expect(
      thrown(GraphError, () => graphOf([a], [[pipeline('nightly', { select: 'tag:ELT' }), 'assets/nightly.ts']])).message,
    ).toBe('assets/nightly.ts: pipeline "nightly": select: "tag:ELT" matches no assets');
    expect(thrown(GraphError, () => graphOf([a], [pipeline('p', { select: 'a and' })])).message).toBe(
      [
        'assets/x.ts: pipeline "p": select: cannot parse selection at column 6: expected an asset key, pattern, attribute or "(", but the selection ended',
        '  a and',
        '       ^',
      ].join('\n'),
    );
    expect(thrown(GraphError, () => graphOf([a], [pipeline('p', { select: '+b' })])).message).toBe(
      'assets/x.ts: pipeline "p": select: unknown asset "b" — did you mean "a"?',
    );
  });

  it('pipelines declared twice or selecting each other', () => {
    const a = asset('a', { produce });
    const p = pipeline('p', { select: 'a' });
    expect(
      thrown(GraphError, () =>
        graphOf(
          [a],
          [
            [p, 'assets/one.ts'],
            [p, 'assets/two.ts'],
          ],
        ),
      ).message,
    ).toBe('duplicate pipeline "p": declared in assets/one.ts and in assets/two.ts');
    const loop = [pipeline('p', { select: 'pipeline:q' }), pipeline('q', { select: 'a or pipeline:p' })];
    expect(thrown(GraphError, () => graphOf([a], loop)).message).toBe(
      [
        '2 problems in the asset graph:',
        '  - assets/x.ts: pipeline "p": select: pipelines select each other: p → q → p',
        '  - assets/x.ts: pipeline "q": select: pipelines select each other: p → q → p',
      ].join('\n'),
    );
  });
});

describe('LineageGraph', () => {
  const graph = shopGraph();

  it('lists keys, parents, children and edges sorted', () => {
    expect(graph.size).toBe(8);
    expect(graph.keys()).toEqual([
      'mart.x',
      'mart.y_summary',
      'other.z_summary',
      'raw.a',
      'raw.b',
      'stg.a',
      'stg.b',
      'weird key+',
    ]);
    expect(graph.parents('mart.x')).toEqual(['stg.a', 'stg.b']);
    expect(graph.children('mart.x')).toEqual(['mart.y_summary', 'weird key+']);
    expect(graph.edges()).toEqual([
      ['mart.x', 'mart.y_summary'],
      ['mart.x', 'weird key+'],
      ['raw.a', 'stg.a'],
      ['raw.b', 'stg.b'],
      ['stg.a', 'mart.x'],
      ['stg.b', 'mart.x'],
    ]);
    expect(graph.has('raw.a')).toBe(true);
    expect(graph.has('raw.c')).toBe(false);
    expect(graph.file('stg.a')).toBe('assets/x.ts');
    expect(graph.asset('raw.b').kind).toBe('file');
  });

  it('walks upstream and downstream, optionally limited in depth', () => {
    expect([...graph.upstream('mart.y_summary')]).toEqual(['mart.x', 'mart.y_summary', 'raw.a', 'raw.b', 'stg.a', 'stg.b']);
    expect([...graph.upstream('mart.y_summary', 1)]).toEqual(['mart.x', 'mart.y_summary']);
    expect([...graph.upstream(['stg.a', 'stg.b'], 0)]).toEqual(['stg.a', 'stg.b']);
    expect([...graph.downstream('raw.a')]).toEqual(['mart.x', 'mart.y_summary', 'raw.a', 'stg.a', 'weird key+']);
    expect([...graph.downstream('raw.a', 2)]).toEqual(['mart.x', 'raw.a', 'stg.a']);
  });

  it('gives topological levels, of the whole graph or of the subgraph some keys induce', () => {
    expect(graph.levels()).toEqual([
      ['other.z_summary', 'raw.a', 'raw.b'],
      ['stg.a', 'stg.b'],
      ['mart.x'],
      ['mart.y_summary', 'weird key+'],
    ]);
    // Only edges among the keys count: stg.b's dep raw.b is not among them.
    expect(graph.levels(['mart.x', 'stg.b', 'raw.a'])).toEqual([['raw.a', 'stg.b'], ['mart.x']]);
    expect(graph.topoOrder(['weird key+', 'mart.x', 'stg.a'])).toEqual(['stg.a', 'mart.x', 'weird key+']);
  });

  it('answers pipelines by name, with their assets', () => {
    expect(graph.pipelines().map((p) => p.name)).toEqual(['elt', 'marts']);
    expect(graph.pipeline('elt').select).toBe('tag:elt');
    expect(graph.pipelineAssets('elt')).toEqual(['mart.x', 'stg.a']);
    expect(thrown(SelectionError, () => graph.pipeline('mrts')).message).toBe('unknown pipeline "mrts" — did you mean "marts"?');
  });

  it('suggests keys and names the nearest one for an unknown asset', () => {
    expect(graph.suggest('stg.c')).toBe('stg.a');
    expect(graph.suggest('completely.different')).toBeUndefined();
    expect(thrown(SelectionError, () => graph.asset('mart.y_sumary')).message).toBe(
      'unknown asset "mart.y_sumary" — did you mean "mart.y_summary"?',
    );
    expect(thrown(SelectionError, () => graph.upstream('Raw.A')).message).toBe('unknown asset "Raw.A" — did you mean "raw.a"?');
  });
});
