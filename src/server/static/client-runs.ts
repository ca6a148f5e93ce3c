// Browser code, part 4: the runs list and a run's page, whose timeline follows the run live over SSE.

/** showRuns(offset) and showRun(id); a run page listens to /api/runs/:id/events until the run ends. */
export const CLIENT_RUNS = `
var PAGE = 25;
var runsTimer = 0;
var live = null;

function stopLive() {
  if (live) { live.close(); live = null; }
  clearInterval(runsTimer);
  runsTimer = 0;
}

function showRuns(view, offset) {
  function load() {
    return api('/api/runs?limit=' + PAGE + '&offset=' + offset).then(function (body) {
      var rows = body.runs.map(function (r) {
        return el('tr', { dataset: { run: r.id, status: r.status } }, [
          el('td', {}, [el('a', { href: runHash(r.id), text: r.id })]),
          el('td', { text: r.pipeline || r.selection }),
          el('td', {}, [chip(r.status)]),
          el('td', { text: formatTime(r.startedAt) }),
          el('td', { text: formatDuration(r.durationMs) }),
          el('td', { text: r.launchedBy })
        ]);
      });
      var pager = el('div', { className: 'pager' }, [
        offset > 0 ? el('a', { href: '#/runs?offset=' + Math.max(0, offset - PAGE), text: '← newer' }) : null,
        body.runs.length === PAGE ? el('a', { href: '#/runs?offset=' + (offset + PAGE), text: 'older →' }) : null
      ]);
      clear(view).appendChild(el('div', { className: 'page' }, [
        el('h1', { text: 'Runs' }),
        rows.length ? el('table', { id: 'runs-table' }, [
          el('thead', {}, [el('tr', {}, ['run', 'pipeline / selection', 'status', 'started', 'duration', 'launched by'].map(function (h) {
            return el('th', { text: h });
          }))]),
          el('tbody', {}, rows)
        ]) : el('p', { className: 'muted', text: 'No runs recorded yet. Materialize something with sluice materialize.' }),
        pager
      ]));
    });
  }
  load().catch(function (e) { showError(e.message); });
  // The list refreshes itself while open: runs started from a terminal show up without a reload.
  runsTimer = setInterval(function () { load().catch(function () {}); }, 3000);
}

// Applies one stored event to the page's copy of the run, the way the store's projection does.
function applyEvent(state, e) {
  if (e.type === 'run_finished') { state.run.status = (e.data && e.data.status) || state.run.status; state.run.endedAt = e.at; return; }
  if (e.type === 'log') { state.logs.push({ at: e.at, assetKey: e.assetKey || null, level: (e.data && e.data.level) || 'info', message: e.message || '' }); return; }
  if (!e.assetKey) return;
  var id = e.assetKey + '@' + (e.partition || '');
  var a = state.byId[id];
  if (!a) {
    a = { assetKey: e.assetKey, partition: e.partition || '', status: 'planned', attempts: 0, startedAt: null, endedAt: null,
      rowCount: null, error: null, attemptList: [] };
    state.byId[id] = a;
    state.assets.push(a);
  }
  var open = a.attemptList[a.attemptList.length - 1];
  if (e.type === 'check_evaluated' && e.data) {
    state.checks.push({ assetKey: e.assetKey, partition: e.partition || '', name: e.data.name, passed: e.data.passed,
      blocking: e.data.blocking !== false, message: e.message || '', at: e.at });
  } else if (e.type === 'asset_waiting') a.status = 'waiting';
  else if (e.type === 'asset_started') {
    a.status = 'running'; a.attempts = e.attempt || a.attempts + 1; a.startedAt = a.startedAt || e.at;
    a.attemptList.push({ attempt: a.attempts, startedAt: e.at, endedAt: null, status: 'running', error: null });
  } else if (e.type === 'attempt_failed') {
    if (open && !open.endedAt) { open.endedAt = e.at; open.status = 'failed'; open.error = e.message || null; }
  } else if (e.type === 'asset_retrying') a.status = 'retrying';
  else if (e.type === 'asset_succeeded') {
    a.status = 'succeeded'; a.endedAt = e.at; a.rowCount = e.data && typeof e.data.rowCount === 'number' ? e.data.rowCount : a.rowCount;
    if (open && !open.endedAt) { open.endedAt = e.at; open.status = 'succeeded'; }
  } else if (e.type === 'asset_failed' || e.type === 'asset_skipped' || e.type === 'asset_upstream_failed') {
    a.status = e.type === 'asset_failed' ? 'failed' : e.type === 'asset_skipped' ? 'skipped' : 'upstream_failed';
    a.endedAt = e.at; a.error = e.message || null;
    if (open && !open.endedAt) { open.endedAt = e.at; open.status = 'failed'; open.error = e.message || null; }
  }
}

function timeline(state) {
  var t0 = Date.parse(state.run.startedAt), now = Date.now();
  var end = state.run.endedAt ? Date.parse(state.run.endedAt) : now;
  state.assets.forEach(function (a) {
    a.attemptList.forEach(function (t) { end = Math.max(end, t.endedAt ? Date.parse(t.endedAt) : now); });
  });
  var span = Math.max(end - t0, 1000);
  var axis = el('div', { className: 'tl-axis' }, [el('span', { text: 'asset' }),
    el('span', { className: 'span' }, [el('span', { text: formatTime(state.run.startedAt) }), el('span', { text: '+' + formatDuration(span) })]),
    el('span', { text: '' })]);
  return el('div', { className: 'timeline', id: 'timeline' }, [axis].concat(state.assets.map(function (a) {
    var bars = a.attemptList.map(function (t) {
      var s = Date.parse(t.startedAt), f = t.endedAt ? Date.parse(t.endedAt) : now;
      return el('div', {
        className: 'tl-bar st-' + t.status, dataset: { status: t.status, attempt: t.attempt },
        title: 'attempt ' + t.attempt + ': ' + t.status + ' ' + formatDuration(f - s) + (t.error ? ' — ' + t.error : ''),
        style: { left: ((s - t0) / span * 100).toFixed(3) + '%', width: Math.max((f - s) / span * 100, 0.4).toFixed(3) + '%' }
      });
    });
    var label = a.assetKey + (a.partition ? ' @' + a.partition : '');
    return el('div', { className: 'tl-row', dataset: { key: a.assetKey, partition: a.partition, status: a.status } }, [
      el('div', { className: 'tl-label', title: label }, [el('a', { href: graphHash(null, null, a.assetKey), text: label })]),
      el('div', { className: 'tl-track' }, bars),
      el('div', { className: 'tl-meta' }, [chip(a.status)])
    ]);
  })));
}

function renderRun(view, state) {
  var run = state.run;
  var failed = state.assets.filter(function (a) { return a.error; });
  clear(view).appendChild(el('div', { className: 'page', dataset: { run: run.id } }, [
    el('h1', { text: 'Run ' + run.id }),
    el('div', { className: 'summary' }, [
      el('span', { id: 'run-status' }, [chip(run.status)]),
      el('span', { text: run.pipeline ? 'pipeline ' + run.pipeline : 'selection ' + run.selection }),
      run.partitions.length ? el('span', { text: 'partitions ' + run.partitions.join(', ') }) : null,
      el('span', { className: 'muted', text: 'started ' + formatTime(run.startedAt) }),
      el('span', { className: 'muted', text: run.endedAt ? 'took ' + formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt)) : 'running…' }),
      el('a', { href: graphHash(run.selection), text: 'show in graph' }),
      el('a', { href: '/api/runs/' + encodeURIComponent(run.id) + '/openlineage', text: 'OpenLineage events', target: '_blank', rel: 'noopener' })
    ]),
    run.error ? el('pre', { className: 'error', text: run.error }) : null,
    el('h3', { text: 'Timeline' }),
    timeline(state),
    failed.length ? el('h3', { text: 'Errors' }) : null,
    failed.length ? el('ul', { className: 'plain' }, failed.map(function (a) {
      return el('li', {}, [el('strong', { text: a.assetKey }), ': ', el('span', { text: a.error })]);
    })) : null,
    state.checks.length ? el('h3', { text: 'Checks' }) : null,
    state.checks.length ? el('table', {}, [el('tbody', {}, state.checks.map(function (c) {
      return el('tr', {}, [el('td', { text: c.assetKey }), el('td', { text: c.name }), el('td', {}, [chip(c.passed ? 'succeeded' : c.blocking ? 'failed' : 'pending',
        c.passed ? 'passed' : 'failed')]), el('td', { text: c.message })]);
    }))]) : null,
    el('h3', { text: 'Log' }),
    state.logs.length ? null : el('p', { className: 'muted', text: 'No log lines.' }),
    el('pre', { className: 'logs', id: 'run-logs', hidden: !state.logs.length }, state.logs.slice(-500).map(function (l) {
      return el('div', { className: 'log-' + (/^(info|warn|error)$/.test(l.level) ? l.level : 'info'),
        text: formatTime(l.at) + ' ' + (l.assetKey ? '[' + l.assetKey + '] ' : '') + l.message });
    }))
  ]));
}

function showRun(view, id) {
  api('/api/runs/' + encodeURIComponent(id)).then(function (body) {
    var state = { run: body.run, assets: body.assets, byId: {}, checks: body.checks, logs: body.logs };
    body.assets.forEach(function (a) { state.byId[a.assetKey + '@' + a.partition] = a; });
    var pending = 0;
    var render = function () {
      if (pending) return;
      pending = requestAnimationFrame(function () { pending = 0; renderRun(view, state); });
    };
    renderRun(view, state);
    if (body.run.status !== 'running') return;
    live = new EventSource('/api/runs/' + encodeURIComponent(id) + '/events?after=' + body.lastSeq);
    live.addEventListener('run-event', function (m) { applyEvent(state, JSON.parse(m.data)); render(); });
    live.addEventListener('end', function (m) {
      stopLive();
      state.run.status = JSON.parse(m.data).status;
      // The stored record has the final word (end time, error).
      api('/api/runs/' + encodeURIComponent(id)).then(function (fresh) { state.run = fresh.run; render(); }, function () { render(); });
    });
    // Running bars grow with the clock between events.
    runsTimer = setInterval(render, 500);
  }, function (e) {
    clear(view).appendChild(el('div', { className: 'page' }, [el('h1', { text: 'Run ' + id }), el('p', { className: 'error', text: e.message })]));
  });
}
`;
