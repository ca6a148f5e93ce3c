// Browser code, part 5: the controller — routing, loading the graph, search, panel, live statuses, readiness.

/** Starts the page once the DOM is there; the last part of app.js. */
export const CLIENT_APP = `
var app = { config: { allowMaterialize: false }, graph: null, loadedKey: null, cluster: 'group', select: '', asset: null,
  statusTimer: 0, ready: false };
var view = null;

function showError(message) {
  var box = byId('search-error');
  box.textContent = message || '';
  box.hidden = !message;
}

function setView(name) {
  ['graph', 'runs', 'run'].forEach(function (v) { byId('view-' + v).hidden = v !== name; });
  byId('nav-graph').classList.toggle('active', name === 'graph');
  byId('nav-runs').classList.toggle('active', name !== 'graph');
}

function loadGraph(selectText, cluster) {
  var id = JSON.stringify([selectText, cluster]);
  if (app.loadedKey === id) return Promise.resolve(true);
  var params = new URLSearchParams();
  if (selectText) params.set('select', selectText);
  params.set('cluster', cluster);
  return api('/api/graph?' + params.toString()).then(function (g) {
    app.loadedKey = id;
    app.graph = g;
    view.setData(g, false);
    byId('graph-count').textContent = g.nodes.length + ' of ' + g.total + ' assets';
    showError(null);
    return true;
  }, function (e) {
    showError(e.message);
    return false;
  });
}

function panelContext() {
  return {
    config: app.config,
    open: function (key) { openAsset(key); },
    error: showError,
    focus: function (key, up, down) {
      var text = (up === null ? '+' : up > 0 ? up + '+' : '') + selectionKey(key) + (down === null ? '+' : down > 0 ? '+' + down : '');
      navigate(graphHash(text, app.cluster, key));
    }
  };
}

function openAsset(key) {
  app.asset = key;
  history.replaceState(null, '', graphHash(app.select, app.cluster, key));
  var panel = byId('panel');
  view.select(key);
  if (!key) { panel.hidden = true; clear(panel); return Promise.resolve(); }
  if (view.visible && view.index.has(key) && view.visible.indexOf(view.index.get(key)) === -1) view.center(key);
  return api('/api/assets/' + encodeURIComponent(key)).then(function (detail) {
    if (app.asset === key) renderPanel(panel, detail, panelContext());
  }, function (e) { showError(e.message); });
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function markReady() {
  if (app.ready) return;
  app.ready = true;
  byId('search').disabled = false;
  // What the benchmark and the browser test wait for: graph drawn, search box usable.
  requestAnimationFrame(function () {
    window.__sluiceReadyAt = performance.now();
    document.documentElement.dataset.ready = 'true';
  });
}

function pollStatuses() {
  clearInterval(app.statusTimer);
  app.statusTimer = setInterval(function () {
    if (byId('view-graph').hidden || !app.graph) return;
    api('/api/status').then(function (body) { view.setStatuses(body.statuses); }, function () {});
  }, 2000);
}

function route() {
  stopLive();
  var r = parseRoute();
  if (r.parts[0] === 'runs') {
    setView(r.parts[1] ? 'run' : 'runs');
    if (r.parts[1]) showRun(byId('view-run'), r.parts[1]);
    else showRuns(byId('view-runs'), Number(r.params.get('offset')) || 0);
    return;
  }
  setView('graph');
  var selectText = (r.params.get('select') || '').trim();
  var cluster = r.params.get('cluster') || 'group';
  byId('search').value = selectText;
  byId('cluster').value = cluster;
  loadGraph(selectText, cluster).then(function (ok) {
    if (ok) { app.select = selectText; app.cluster = cluster; }
    else if (!app.graph) return loadGraph('', 'group').then(function () { markReady(); });
    markReady();
    return openAsset(r.params.get('asset'));
  });
}

function start() {
  view = new GraphView(byId('canvas'), byId('graph-nodes'), {
    select: function (key) { openAsset(key); },
    focus: function (key) { panelContext().focus(key, 2, 2); },
    painted: function () {}
  });
  window.sluiceBrowser = { view: view };
  byId('search-form').addEventListener('submit', function (e) {
    e.preventDefault();
    navigate(graphHash(byId('search').value.trim(), byId('cluster').value, null));
  });
  byId('cluster').addEventListener('change', function () { navigate(graphHash(app.select, byId('cluster').value, app.asset)); });
  byId('search-all').addEventListener('click', function () { navigate(graphHash('', byId('cluster').value, null)); });
  byId('zoom-in').addEventListener('click', function () { var s = view.size(); view.zoomAt(s.w / 2, s.h / 2, 1.4); });
  byId('zoom-out').addEventListener('click', function () { var s = view.size(); view.zoomAt(s.w / 2, s.h / 2, 1 / 1.4); });
  byId('zoom-fit').addEventListener('click', function () { view.fit(); });
  document.addEventListener('keydown', function (e) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement && document.activeElement.tagName);
    if (e.key === '/' && !typing) { e.preventDefault(); byId('search').focus(); }
    if (e.key === 'Escape' && !typing) openAsset(null);
  });
  window.addEventListener('hashchange', route);
  api('/api/config').then(function (config) {
    app.config = config;
    byId('project').textContent = config.project;
  }, function () {}).then(route);
  pollStatuses();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
`;
