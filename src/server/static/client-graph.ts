// Browser code, part 2: the canvas graph — pan, zoom, viewport culling, level of detail, hit testing.

/** GraphView draws /api/graph's laid-out nodes; only what intersects the viewport is drawn each frame. */
export const CLIENT_GRAPH = `
var STATUS = {
  succeeded: { fill: '#d7f5dd', stroke: '#1e8e3e' },
  failed: { fill: '#fde0de', stroke: '#d93025' },
  running: { fill: '#dbe8ff', stroke: '#1a73e8' },
  pending: { fill: '#fff1d6', stroke: '#e37400' },
  never: { fill: '#f1f3f4', stroke: '#9aa0a6' }
};
var CHECK = { passed: '#1e8e3e', failed: '#d93025', warn: '#e37400' };
var BANDS = ['rgba(26,115,232,0.06)', 'rgba(30,142,62,0.06)', 'rgba(227,116,0,0.06)', 'rgba(161,66,244,0.06)', 'rgba(0,137,123,0.06)'];

function GraphView(canvas, list, handlers) {
  this.canvas = canvas;
  this.ctx = canvas.getContext('2d');
  this.list = list;
  this.handlers = handlers;
  this.data = null;
  this.k = 1; this.tx = 0; this.ty = 0;
  this.selected = -1;
  this.frame = 0;
  this.listTimer = 0;
  var self = this;
  var drag = null;
  canvas.addEventListener('pointerdown', function (e) {
    drag = { x: e.clientX, y: e.clientY, tx: self.tx, ty: self.ty, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    canvas.classList.add('dragging');
    self.tx = drag.tx + dx; self.ty = drag.ty + dy;
    self.draw();
  });
  canvas.addEventListener('pointerup', function (e) {
    var wasDrag = drag && drag.moved;
    drag = null;
    canvas.classList.remove('dragging');
    if (wasDrag) return;
    var hit = self.hit(e.offsetX, e.offsetY);
    self.handlers.select(hit === -1 ? null : self.data.nodes[hit].key);
  });
  canvas.addEventListener('dblclick', function (e) {
    var hit = self.hit(e.offsetX, e.offsetY);
    if (hit !== -1) self.handlers.focus(self.data.nodes[hit].key);
  });
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    self.zoomAt(e.offsetX, e.offsetY, Math.exp(-e.deltaY * 0.0015));
  }, { passive: false });
  window.addEventListener('resize', function () { self.draw(); });
}

GraphView.prototype.setData = function (data, keepView) {
  this.data = data;
  this.index = new Map();
  this.up = data.nodes.map(function () { return []; });
  this.down = data.nodes.map(function () { return []; });
  for (var i = 0; i < data.nodes.length; i++) this.index.set(data.nodes[i].key, i);
  for (var e = 0; e < data.edges.length; e++) {
    this.up[data.edges[e][1]].push(data.edges[e][0]);
    this.down[data.edges[e][0]].push(data.edges[e][1]);
  }
  this.selected = -1;
  if (!keepView) this.fit();
  this.draw();
};

GraphView.prototype.size = function () {
  var rect = this.canvas.getBoundingClientRect();
  return { w: Math.max(1, rect.width), h: Math.max(1, rect.height) };
};

GraphView.prototype.fit = function () {
  if (!this.data) return;
  var s = this.size(), d = this.data;
  var k = Math.min((s.w - 40) / Math.max(d.width, 1), (s.h - 40) / Math.max(d.height, 1), 1.2);
  this.k = Math.max(k, 0.005);
  this.tx = (s.w - d.width * this.k) / 2;
  this.ty = (s.h - d.height * this.k) / 2;
  this.draw();
};

GraphView.prototype.zoomAt = function (px, py, factor) {
  var k = Math.min(3, Math.max(0.005, this.k * factor));
  this.tx = px - (px - this.tx) * (k / this.k);
  this.ty = py - (py - this.ty) * (k / this.k);
  this.k = k;
  this.draw();
};

GraphView.prototype.center = function (key) {
  var i = this.index ? this.index.get(key) : undefined;
  if (i === undefined) return false;
  var s = this.size(), n = this.data.nodes[i], d = this.data.node;
  if (this.k < 0.6) this.k = 0.9;
  this.tx = s.w / 2 - (n.x + d.width / 2) * this.k;
  this.ty = s.h / 2 - (n.y + d.height / 2) * this.k;
  this.draw();
  return true;
};

GraphView.prototype.select = function (key) {
  var i = key === null || !this.index ? undefined : this.index.get(key);
  this.selected = i === undefined ? -1 : i;
  this.draw();
};

// Screen position (CSS pixels) of a node's status strip: what the browser test reads colours at.
GraphView.prototype.screenOf = function (key) {
  var i = this.index.get(key);
  if (i === undefined) return null;
  var n = this.data.nodes[i];
  return { x: this.tx + (n.x + 3) * this.k, y: this.ty + (n.y + this.data.node.height / 2) * this.k };
};

GraphView.prototype.hit = function (px, py) {
  if (!this.data) return -1;
  var x = (px - this.tx) / this.k, y = (py - this.ty) / this.k, w = this.data.node.width, h = this.data.node.height;
  var nodes = this.data.nodes;
  for (var i = 0; i < nodes.length; i++) {
    var n = nodes[i];
    if (x >= n.x && x <= n.x + w && y >= n.y && y <= n.y + h) return i;
  }
  return -1;
};

GraphView.prototype.setStatuses = function (statuses) {
  if (!this.data) return;
  var changed = false;
  for (var i = 0; i < this.data.nodes.length; i++) {
    var n = this.data.nodes[i], s = statuses[n.key];
    var status = s ? s.status : 'never', check = s ? s.check : 'none';
    if (n.status !== status || n.check !== check) { n.status = status; n.check = check; changed = true; }
  }
  if (changed) this.draw();
};

GraphView.prototype.draw = function () {
  var self = this;
  if (this.frame) return;
  this.frame = requestAnimationFrame(function () { self.frame = 0; self.paint(); });
};

GraphView.prototype.paint = function () {
  var canvas = this.canvas, ctx = this.ctx, s = this.size(), dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(s.w * dpr) || canvas.height !== Math.round(s.h * dpr)) {
    canvas.width = Math.round(s.w * dpr);
    canvas.height = Math.round(s.h * dpr);
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  var d = this.data;
  if (!d) return;
  var k = this.k, W = d.node.width, H = d.node.height;
  // The viewport in graph coordinates; anything outside it is skipped.
  var x0 = -this.tx / k, y0 = -this.ty / k, x1 = (s.w - this.tx) / k, y1 = (s.h - this.ty) / k;
  ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * this.tx, dpr * this.ty);

  var labels = [];
  if (d.clusterBy !== 'none') {
    for (var c = 0; c < d.clusters.length; c++) {
      var b = d.clusters[c];
      if (b.x > x1 || b.y > y1 || b.x + b.width < x0 || b.y + b.height < y0) continue;
      ctx.fillStyle = BANDS[c % BANDS.length];
      ctx.fillRect(b.x, b.y, b.width, b.height);
      // A band shorter than its label on screen would only pile labels on top of each other.
      if (b.height * k >= 18) labels.push(b);
    }
  }

  var nodes = d.nodes, edges = d.edges, curved = k > 0.2;
  var sel = this.selected, lit = [];
  ctx.lineWidth = 1 / k;
  // Thousands of edges in one colour become a grey wall; fainter lines keep the structure readable.
  ctx.strokeStyle = edges.length > 2000 ? 'rgba(154,160,166,0.3)' : '#bdc1c6';
  ctx.beginPath();
  for (var e = 0; e < edges.length; e++) {
    var a = nodes[edges[e][0]], z = nodes[edges[e][1]];
    var sx = a.x + W, sy = a.y + H / 2, ex = z.x, ey = z.y + H / 2;
    if (Math.max(sx, ex) < x0 || Math.min(sx, ex) > x1 || Math.max(sy, ey) < y0 || Math.min(sy, ey) > y1) continue;
    if (sel !== -1 && (edges[e][0] === sel || edges[e][1] === sel)) { lit.push(e); continue; }
    ctx.moveTo(sx, sy);
    if (curved) ctx.bezierCurveTo((sx + ex) / 2, sy, (sx + ex) / 2, ey, ex, ey);
    else ctx.lineTo(ex, ey);
  }
  ctx.stroke();
  if (lit.length) {
    ctx.strokeStyle = '#1a73e8';
    ctx.lineWidth = 2.5 / k;
    ctx.beginPath();
    lit.forEach(function (e) {
      var a = nodes[edges[e][0]], z = nodes[edges[e][1]];
      var sx = a.x + W, sy = a.y + H / 2, ex = z.x, ey = z.y + H / 2;
      ctx.moveTo(sx, sy);
      ctx.bezierCurveTo((sx + ex) / 2, sy, (sx + ex) / 2, ey, ex, ey);
    });
    ctx.stroke();
  }

  var visible = [];
  for (var i = 0; i < nodes.length; i++) {
    var n = nodes[i];
    if (n.x > x1 || n.y > y1 || n.x + W < x0 || n.y + H < y0) continue;
    visible.push(i);
  }
  if (k < 0.15) this.paintDots(visible, W, H);
  else this.paintNodes(visible, W, H, k);
  if (labels.length) {
    ctx.font = '600 ' + Math.max(13, 11 / k) + 'px system-ui, sans-serif';
    ctx.textBaseline = 'bottom';
    ctx.lineWidth = 3 / k;
    ctx.strokeStyle = '#f8f9fa';
    ctx.fillStyle = '#5f6368';
    labels.forEach(function (b) {
      var text = b.label + ' (' + b.size + ')';
      ctx.strokeText(text, b.x + 4, b.y - 2);
      ctx.fillText(text, b.x + 4, b.y - 2);
    });
  }
  this.visible = visible;
  this.scheduleList();
};

// Far out: one filled path per status, no text; thousands of nodes cost a handful of draw calls.
GraphView.prototype.paintDots = function (visible, W, H) {
  var ctx = this.ctx, nodes = this.data.nodes, groups = {};
  visible.forEach(function (i) { (groups[nodes[i].status] = groups[nodes[i].status] || []).push(i); });
  Object.keys(groups).forEach(function (status) {
    ctx.fillStyle = (STATUS[status] || STATUS.never).stroke;
    ctx.beginPath();
    groups[status].forEach(function (i) { ctx.rect(nodes[i].x, nodes[i].y, W, H); });
    ctx.fill();
  });
};

GraphView.prototype.paintNodes = function (visible, W, H, k) {
  var ctx = this.ctx, nodes = this.data.nodes, sel = this.selected, text = k >= 0.3;
  ctx.font = '12px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textBaseline = 'middle';
  for (var v = 0; v < visible.length; v++) {
    var i = visible[v], n = nodes[i], st = STATUS[n.status] || STATUS.never;
    ctx.fillStyle = st.fill;
    ctx.fillRect(n.x, n.y, W, H);
    ctx.fillStyle = st.stroke;
    ctx.fillRect(n.x, n.y, 6, H);
    ctx.setLineDash(n.source ? [5 / k, 3 / k] : []);
    ctx.lineWidth = (i === sel ? 3 : 1) / k;
    ctx.strokeStyle = i === sel ? '#202124' : st.stroke;
    ctx.strokeRect(n.x, n.y, W, H);
    if (CHECK[n.check]) {
      ctx.fillStyle = CHECK[n.check];
      ctx.beginPath();
      ctx.arc(n.x + W - 9, n.y + H / 2, 5, 0, Math.PI * 2);
      ctx.fill();
    }
    if (text) {
      if (n.label === undefined) n.label = fitText(ctx, n.key, W - 32);
      ctx.fillStyle = '#202124';
      ctx.fillText(n.label, n.x + 12, n.y + H / 2);
    }
  }
  ctx.setLineDash([]);
};

function fitText(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  var lo = 0, hi = text.length;
  while (lo < hi) {
    var mid = (lo + hi + 1) >> 1;
    if (ctx.measureText('…' + text.slice(text.length - mid)).width <= width) lo = mid; else hi = mid - 1;
  }
  // The end of a key (the table name) says more than its start.
  return '…' + text.slice(text.length - lo);
}

// The assets in view as buttons: keyboard and screen-reader access to what the canvas shows.
GraphView.prototype.scheduleList = function () {
  var self = this;
  clearTimeout(this.listTimer);
  this.listTimer = setTimeout(function () {
    var nodes = self.data.nodes;
    var items = (self.visible || []).slice(0, 200).map(function (i) {
      var n = nodes[i];
      return el('li', {}, [el('button', {
        type: 'button', className: 'linkish', text: n.key,
        dataset: { key: n.key, status: n.status, check: n.check },
        on: { click: function () { self.handlers.select(n.key); } }
      })]);
    });
    var list = clear(self.list);
    items.forEach(function (li) { list.appendChild(li); });
    self.handlers.painted();
  }, 60);
};
`;
