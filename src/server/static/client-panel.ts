// Browser code, part 3: the asset side panel — spec, producer, policies, neighbours, status, focus, materialize.

/** renderPanel(detail, ctx) fills the aside; every value goes in as text. */
export const CLIENT_PANEL = `
function section(title, body) {
  return body ? [el('h3', { text: title }), body] : [];
}

function definitionList(pairs) {
  var items = [];
  pairs.forEach(function (p) {
    if (p[1] === null || p[1] === undefined || p[1] === '' || (Array.isArray(p[1]) && !p[1].length)) return;
    items.push(el('dt', { text: p[0] }), el('dd', { text: typeof p[1] === 'object' ? JSON.stringify(p[1]) : String(p[1]) }));
  });
  return items.length ? el('dl', {}, items) : null;
}

// "3 attempts, 60 s apart, exponential, on timeout / network"
function formatRetry(r) {
  if (!r) return null;
  return r.maxAttempts + ' attempts, ' + formatDuration(r.delay) + ' apart, ' + r.backoff +
    (r.maxDelay ? ' (at most ' + formatDuration(r.maxDelay) + ')' : '') + ', on ' + r.retryOn.join(' / ');
}

function keyList(keys, ctx) {
  if (!keys.length) return el('p', { className: 'muted', text: 'none' });
  return el('ul', { className: 'plain' }, keys.map(function (key) {
    return el('li', {}, [el('button', {
      type: 'button', className: 'linkish', text: key, dataset: { key: key },
      on: { click: function () { ctx.open(key); } }
    })]);
  }));
}

function producerBlock(p) {
  if (!p) return el('p', { className: 'muted', text: 'source asset: read, not produced by sluice' });
  var rest = {};
  Object.keys(p).forEach(function (k) { if (['type', 'sql', 'command', 'body'].indexOf(k) === -1) rest[k] = p[k]; });
  var code = p.sql || p.command || p.body;
  return el('div', {}, [
    el('p', {}, [el('strong', { text: p.type }), p.resource ? ' on ' + p.resource : '']),
    code ? el('pre', { className: 'code' }, [el('code', { text: code })]) : null,
    definitionList(Object.keys(rest).filter(function (k) { return k !== 'resource'; }).map(function (k) { return [k, rest[k]]; }))
  ]);
}

function focusControls(d, ctx) {
  var up = el('input', { type: 'number', min: '0', max: '99', value: '2', 'aria-label': 'Upstream depth', id: 'focus-up' });
  var down = el('input', { type: 'number', min: '0', max: '99', value: '2', 'aria-label': 'Downstream depth', id: 'focus-down' });
  var go = el('button', { type: 'button', className: 'primary', id: 'focus-go', text: 'Focus', on: { click: function () {
    ctx.focus(d.key, up.value === '' ? null : Number(up.value), down.value === '' ? null : Number(down.value));
  } } });
  return el('div', { className: 'focus-row' }, [el('label', {}, ['up ', up]), el('label', {}, ['down ', down]), go]);
}

function materializeButtons(d, ctx) {
  if (!ctx.config.allowMaterialize || d.source) return null;
  var buttons = [];
  var start = function (selection) {
    buttons.forEach(function (b) { b.disabled = true; });
    api('/api/materialize', { body: { selection: selection } }).then(function (r) {
      location.hash = runHash(r.runId);
    }, function (error) {
      buttons.forEach(function (b) { b.disabled = false; });
      ctx.error(error.message);
    });
  };
  buttons.push(el('button', { type: 'button', id: 'materialize', text: 'Materialize',
    title: 'Run this asset only', on: { click: function () { start(selectionKey(d.key)); } } }));
  if (d.upstream.length) {
    buttons.push(el('button', { type: 'button', id: 'materialize-upstream', text: 'Materialize with upstream',
      title: 'Run this asset and everything it depends on', on: { click: function () { start('+' + selectionKey(d.key)); } } }));
  }
  return el('p', { className: 'focus-row' }, buttons);
}

function recentRuns(list) {
  if (!list.length) return null;
  return el('ul', { className: 'plain' }, list.map(function (r) {
    return el('li', {}, [
      chip(r.status), ' ',
      el('a', { href: runHash(r.runId), text: r.runId }),
      r.partition ? ' @' + r.partition : '',
      ' ', el('span', { className: 'muted', text: formatTime(r.endedAt || r.startedAt) })
    ]);
  }));
}

function partitionTable(d) {
  if (!d.partitions.length || (d.partitions.length === 1 && !d.partitions[0].partition)) return null;
  return el('table', {}, [
    el('thead', {}, [el('tr', {}, [el('th', { text: 'partition' }), el('th', { text: 'status' }), el('th', { text: 'run' })])]),
    el('tbody', {}, d.partitions.map(function (m) {
      return el('tr', {}, [el('td', { text: m.partition }), el('td', {}, [chip(m.status)]),
        el('td', {}, [el('a', { href: runHash(m.runId), text: m.runId })])]);
    }))
  ]);
}

function renderPanel(panel, d, ctx) {
  var status = d.status;
  var checks = d.checks.length ? el('ul', { className: 'plain' }, d.checks.map(function (c) {
    return el('li', { text: (c.name || c.type) + ' (' + c.type + (c.blocking ? ', blocking' : ', warning') + ')' });
  })) : null;
  clear(panel).appendChild(el('div', { dataset: { asset: d.key } }, [
    el('button', { type: 'button', className: 'close', text: '×', title: 'Close', on: { click: function () { ctx.open(null); } } }),
    el('h2', { id: 'panel-title', text: d.key }),
    el('p', {}, [chip(status.status), ' ', el('span', { className: 'muted', text: d.kind + (d.source ? ' · source' : '') +
      (d.group ? ' · group ' + d.group : '') }), status.check !== 'none' ? el('span', {}, [' ', chip(status.check === 'passed' ? 'succeeded' :
      status.check === 'warn' ? 'pending' : 'failed', 'checks ' + status.check)]) : null]),
    d.description ? el('p', { id: 'panel-description', text: d.description }) : null,
    focusControls(d, ctx),
    materializeButtons(d, ctx)
  ].concat(
    section('Producer', producerBlock(d.producer)),
    section('Upstream', keyList(d.upstream, ctx)),
    section('Downstream', keyList(d.downstream, ctx)),
    section('Checks', checks),
    section('Policies', definitionList([
      ['retry', formatRetry(d.policies.retry)], ['timeout', d.policies.timeout === null ? null : formatDuration(d.policies.timeout)], ['trigger', d.policies.trigger], ['pool', d.policies.pool],
      ['partitions', d.policies.partitions], ['depends on past', d.policies.dependsOnPast || null], ['notify', d.policies.notify],
      ['sensor', d.policies.sensor]
    ])),
    section('Last materialized', definitionList([['status', status.last || 'never'], ['ended', formatTime(status.endedAt)],
      ['run', status.runId], ['partitions ok / failed', d.partitions.some(function (p) { return p.partition; }) ? status.partitions.succeeded + ' / ' +
        status.partitions.failed : null]])),
    section('Partitions', partitionTable(d)),
    section('Recent runs', recentRuns(d.recent)),
    section('About', definitionList([['owner', d.owner], ['tags', d.tags.join(', ')], ['pipelines', d.pipelines.join(', ')],
      ['file', d.file], ['resource', d.resource], ['metadata', Object.keys(d.metadata).length ? d.metadata : null]]))
  )));
  panel.hidden = false;
}
`;
