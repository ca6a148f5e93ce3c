// Browser code, part 1: DOM building (text only, never HTML), the JSON API, formatting, hash routing.
//
// The browser code is plain ES2020 kept in template literals so that `tsc` alone ships it in dist/: it must
// not contain backticks or dollar-brace, and a part with backslashes must be String.raw (this one is).
// test/server/static.test.ts parses the assembled script.

/** Shared helpers; every later part runs inside the same function scope. */
export const CLIENT_CORE = String.raw`
var byId = function (id) { return document.getElementById(id); };

// Builds an element. Text goes in through textContent and attributes through setAttribute, so data can
// never become markup; 'on' handlers are functions, never strings.
function el(tag, props, children) {
  var node = document.createElement(tag);
  props = props || {};
  Object.keys(props).forEach(function (name) {
    var value = props[name];
    if (value === undefined || value === null || value === false) return;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'className') node.className = value;
    else if (name === 'on') Object.keys(value).forEach(function (type) { node.addEventListener(type, value[type]); });
    // Through the CSSOM: the CSP forbids style attributes, not style properties.
    else if (name === 'style') Object.keys(value).forEach(function (k) { node.style[k] = value[k]; });
    else if (name === 'dataset') Object.keys(value).forEach(function (k) { node.dataset[k] = String(value[k]); });
    else node.setAttribute(name, value === true ? '' : String(value));
  });
  (children || []).forEach(function (child) {
    if (child === null || child === undefined || child === false) return;
    node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  });
  return node;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

function api(path, options) {
  options = options || {};
  var init = { credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (options.body !== undefined) {
    init.method = 'POST';
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  return fetch(path, init).then(function (response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      if (!response.ok) {
        var error = new Error(body.message || ('HTTP ' + response.status));
        error.status = response.status;
        throw error;
      }
      return body;
    });
  });
}

function pad2(n) { return n < 10 ? '0' + n : String(n); }
function formatTime(iso) {
  if (!iso) return '';
  var d = new Date(iso);
  if (isNaN(d.getTime())) return String(iso);
  return d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' + pad2(d.getHours()) + ':' +
    pad2(d.getMinutes()) + ':' + pad2(d.getSeconds());
}
function formatDuration(ms) {
  if (ms === null || ms === undefined || isNaN(ms)) return '';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
  var m = Math.floor(ms / 60000), s = Math.round((ms % 60000) / 1000);
  return m + ' m' + (s ? ' ' + s + ' s' : '');
}

function chip(status, text) {
  var safe = /^[a-z_]+$/.test(String(status)) ? status : 'unknown';
  return el('span', { className: 'chip st-' + safe, dataset: { status: safe }, text: text || String(status) });
}

// A key as the selection grammar reads it: bare when it is a plain word, else quoted with \ escapes.
function selectionKey(key) {
  if (/^[A-Za-z0-9_.\/-]+$/.test(key) && !/^(and|or|not)$/i.test(key) && !/^\d+$/.test(key)) return key;
  return '"' + key.replace(/[\\"]/g, function (c) { return '\\' + c; }) + '"';
}

// Routes: #/graph?select=…&cluster=…&asset=…, #/runs?offset=…, #/runs/<id>.
function parseRoute() {
  var hash = location.hash.replace(/^#/, '') || '/graph';
  var q = hash.indexOf('?');
  var path = q === -1 ? hash : hash.slice(0, q);
  var params = new URLSearchParams(q === -1 ? '' : hash.slice(q + 1));
  var parts = path.split('/').filter(Boolean).map(function (p) { return decodeURIComponent(p); });
  return { parts: parts, params: params };
}

function graphHash(selectText, cluster, asset) {
  var params = new URLSearchParams();
  if (selectText) params.set('select', selectText);
  if (cluster && cluster !== 'group') params.set('cluster', cluster);
  if (asset) params.set('asset', asset);
  var text = params.toString();
  return '#/graph' + (text ? '?' + text : '');
}

function runHash(id) { return '#/runs/' + encodeURIComponent(id); }
`;
