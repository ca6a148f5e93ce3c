// The lineage browser's one HTML page: a shell the script fills in; no data is ever written into it.

/**
 * The page at `/`. It holds no data (everything arrives as JSON and is put in with textContent), loads
 * only /static/app.css and /static/app.js from this server, and works with the strict CSP the server sends.
 * @example app.get('/', (c) => c.html(INDEX_HTML));
 */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sluice · lineage</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<header class="bar">
  <a class="brand" href="#/graph">sluice</a>
  <nav>
    <a id="nav-graph" href="#/graph">Lineage</a>
    <a id="nav-runs" href="#/runs">Runs</a>
  </nav>
  <form id="search-form" role="search" autocomplete="off">
    <input id="search" name="select" type="search" spellcheck="false" disabled
      placeholder="selection: +analytics.mau_summary, group:analytics, tag:ELT and not kind:file"
      aria-label="Selection" aria-describedby="search-error">
    <select id="cluster" aria-label="Cluster by">
      <option value="group">cluster by group</option>
      <option value="pipeline">cluster by pipeline</option>
      <option value="none">no clusters</option>
    </select>
    <button id="search-go" type="submit">Show</button>
    <button id="search-all" type="button" title="Show every asset">All</button>
  </form>
  <span id="project" class="muted"></span>
</header>
<div id="search-error" class="error" role="alert" hidden></div>
<main>
  <section id="view-graph" class="view">
    <div id="stage">
      <canvas id="canvas" aria-label="Lineage graph; the list below the toolbar names the assets in view"></canvas>
      <div class="toolbar">
        <button id="zoom-in" type="button" title="Zoom in">+</button>
        <button id="zoom-out" type="button" title="Zoom out">−</button>
        <button id="zoom-fit" type="button" title="Fit the graph">fit</button>
        <span id="graph-count" class="muted"></span>
      </div>
      <div class="legend" aria-hidden="true">
        <span class="chip st-succeeded">succeeded</span><span class="chip st-failed">failed</span>
        <span class="chip st-running">running</span><span class="chip st-pending">pending</span>
        <span class="chip st-never">never run</span><span class="dot ck-failed"></span>check failed
      </div>
      <ul id="graph-nodes" class="visually-hidden" aria-label="Assets in view"></ul>
    </div>
    <aside id="panel" hidden aria-live="polite"></aside>
  </section>
  <section id="view-runs" class="view" hidden></section>
  <section id="view-run" class="view" hidden></section>
</main>
</body>
</html>
`;
