// The lineage browser's stylesheet, served as /static/app.css.

/** Status colours here and in client-graph's STATUS table must agree: the legend shows these. */
export const APP_CSS = `
:root {
  --bg: #f8f9fa; --fg: #202124; --muted: #5f6368; --line: #dadce0; --panel: #ffffff; --accent: #1a73e8;
  --ok: #1e8e3e; --ok-bg: #d7f5dd; --bad: #d93025; --bad-bg: #fde0de; --run: #1a73e8; --run-bg: #dbe8ff;
  --wait: #e37400; --wait-bg: #fff1d6; --never: #9aa0a6; --never-bg: #f1f3f4;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg);
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
button, input, select { font: inherit; }
button { border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
button:hover { border-color: var(--accent); }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
input[type=search], input[type=number], select { border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; background: #fff; }
.bar { display: flex; gap: 16px; align-items: center; padding: 8px 16px; background: #fff; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; font-size: 17px; color: var(--fg); }
.bar nav { display: flex; gap: 12px; }
.bar nav a.active { font-weight: 600; color: var(--fg); border-bottom: 2px solid var(--accent); }
#search-form { display: flex; gap: 6px; flex: 1; max-width: 900px; }
#search { flex: 1; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.muted { color: var(--muted); }
.error { background: var(--bad-bg); color: #8c1d18; padding: 6px 16px; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 13px; }
main { flex: 1; min-height: 0; position: relative; }
.view { position: absolute; inset: 0; overflow: auto; }
#view-graph { display: flex; overflow: hidden; }
#view-graph[hidden], .view[hidden] { display: none; }
#stage { flex: 1; position: relative; min-width: 0; }
#canvas { position: absolute; inset: 0; width: 100%; height: 100%; cursor: grab; display: block; }
#canvas.dragging { cursor: grabbing; }
.toolbar { position: absolute; left: 12px; bottom: 12px; display: flex; gap: 6px; align-items: center; }
.legend { position: absolute; right: 12px; bottom: 12px; display: flex; gap: 6px; align-items: center; background: rgba(255,255,255,.9); padding: 4px 8px; border-radius: 6px; border: 1px solid var(--line); font-size: 12px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; margin: -1px; padding: 0; }
#panel { width: 400px; flex: none; background: var(--panel); border-left: 1px solid var(--line); overflow: auto; padding: 12px 16px 32px; }
#panel h2 { font-size: 16px; margin: 4px 0 8px; word-break: break-all; }
#panel h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 18px 0 6px; }
#panel .close { float: right; }
pre { background: #f1f3f4; padding: 8px; border-radius: 6px; overflow: auto; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; word-break: break-word; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain li { padding: 2px 0; }
.linkish { border: none; background: none; color: var(--accent); padding: 0; text-align: left; word-break: break-all; }
.chip { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; border: 1px solid transparent; white-space: nowrap; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; }
.st-succeeded { background: var(--ok-bg); color: #0d652d; border-color: var(--ok); }
.st-failed, .st-upstream_failed { background: var(--bad-bg); color: #8c1d18; border-color: var(--bad); }
.st-running, .st-retrying { background: var(--run-bg); color: #174ea6; border-color: var(--run); }
.st-pending, .st-planned, .st-waiting { background: var(--wait-bg); color: #8a4500; border-color: var(--wait); }
.st-never, .st-skipped, .st-cancelled, .st-stale, .st-unknown { background: var(--never-bg); color: var(--muted); border-color: var(--never); }
.ck-passed { background: var(--ok); } .ck-failed { background: var(--bad); } .ck-warn { background: var(--wait); } .ck-none { background: transparent; }
.focus-row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.focus-row input { width: 64px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.page { padding: 16px 24px; max-width: 1400px; }
.page h1 { font-size: 18px; margin: 0 0 12px; word-break: break-all; }
.pager { display: flex; gap: 8px; margin-top: 12px; }
.timeline { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.tl-row { display: grid; grid-template-columns: minmax(180px, 320px) 1fr 140px; gap: 10px; align-items: center; min-height: 26px; border-bottom: 1px solid #f1f3f4; }
.tl-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ui-monospace, monospace; font-size: 12px; }
.tl-track { position: relative; height: 16px; background: #f8f9fa; border-radius: 3px; }
.tl-bar { position: absolute; top: 1px; bottom: 1px; min-width: 3px; border-radius: 3px; border: 1px solid; }
.tl-bar.st-succeeded { background: var(--ok); border-color: var(--ok); }
.tl-bar.st-failed { background: var(--bad); border-color: var(--bad); }
.tl-bar.st-running { background: var(--run); border-color: var(--run); }
.tl-meta { font-size: 12px; color: var(--muted); text-align: right; }
.tl-axis { display: grid; grid-template-columns: minmax(180px, 320px) 1fr 140px; gap: 10px; font-size: 12px; color: var(--muted); }
.tl-axis .span { display: flex; justify-content: space-between; }
.logs { max-height: 360px; overflow: auto; }
.log-warn { color: #8a4500; } .log-error { color: #8c1d18; }
.summary { display: flex; gap: 18px; flex-wrap: wrap; margin-bottom: 12px; align-items: center; }
`;
