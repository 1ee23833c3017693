/* kg92 result views, shared by the editor (/editor) and the embedded view (/editor/embed):
   - labels: each IRI of a result shown with its label in the interface language, from this server's /-/labels
     (a toggle turns them off; the CURIE stays in the link's title);
   - three YASR plugins beside YASGUI's table and response views: "chart" (bars of grouped counts: one aggregated
     number per row, e.g. COUNT(…) AS ?n, and its category), "timeline" (rows placed at their xsd:date / gYear /
     gYearMonth / dateTime) and "graph" (a CONSTRUCT result, or two IRI columns with a number as the edge weight,
     as co-citation gives); chart and timeline are drawn by Chart.js (npm, build/ui/), the graph is our own SVG;
   - the view is chosen for each new result by the columns (the view that fits, else the table); a click on a view's
     button chooses it by hand until the next query.
   Nothing here asks another server. */
(function () {
  "use strict";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = /^(integer|decimal|double|float|int|long|short|byte|(nonN|n)egativeInteger|(nonP|p)ositiveInteger|unsigned(Int|Long|Short|Byte))$/;
  var DATES = /^(date|dateTime|gYear|gYearMonth)$/;
  var SVG = "http://www.w3.org/2000/svg";
  var MAX_ROWS = { chart: 200, timeline: 2000, graph: 1000 };
  var BATCH = 500;   // /-/labels takes at most 500 IRIs a request

  /* ---------- labels ---------- */
  var labels = { enabled: true, cache: {}, endpoint: "/-/labels", lang: "fr", listeners: [] };

  labels.fetch = function (iris) {
    var wanted = iris.filter(function (iri, i) {
      return /^https?:\/\//.test(iri) && !(iri in labels.cache) && iris.indexOf(iri) === i;
    });
    var batches = [];
    for (var i = 0; i < wanted.length; i += BATCH) { batches.push(wanted.slice(i, i + BATCH)); }
    return Promise.all(batches.map(function (batch) {
      var body = new URLSearchParams();
      batch.forEach(function (iri) { body.append("iri", iri); });
      return fetch(labels.endpoint + "?lang=" + encodeURIComponent(labels.lang), { method: "POST", body: body })
        .then(function (r) { return r.ok ? r.json() : { labels: {} }; })
        .then(function (answer) { batch.forEach(function (iri) { labels.cache[iri] = answer.labels[iri] || null; }); });
    }));
  };

  labels.text = function (iri, fallback) {
    return (labels.enabled && labels.cache[iri]) || fallback;
  };

  labels.setEnabled = function (on) {
    labels.enabled = on;
    labels.listeners.forEach(function (f) { f(); });
  };

  /* The links a table shows (a[data-iri]) get their label as text, the CURIE as title; again at every redraw. */
  function labelLinks(root) {
    var links = Array.prototype.slice.call(root.querySelectorAll("a[data-iri]"));
    if (!links.length) { return; }
    var apply = function () {
      links.forEach(function (a) {
        if (a.dataset.curie === undefined) { a.dataset.curie = a.textContent; }
        var text = labels.text(a.dataset.iri, a.dataset.curie);
        if (a.textContent !== text) { a.textContent = text; }
        a.title = text === a.dataset.curie ? "" : a.dataset.curie;
      });
    };
    if (!labels.enabled) { apply(); return; }
    labels.fetch(links.map(function (a) { return a.dataset.iri; })).then(apply);
  }

  labels.watch = function (root) {
    var pending = false;
    var run = function () { pending = false; labelLinks(root); };
    new MutationObserver(function () {
      if (!pending) { pending = true; setTimeout(run, 0); }
    }).observe(root, { childList: true, subtree: true });
    labels.listeners.push(run);
  };

  /* ---------- columns ---------- */
  function kindOf(b) {
    if (!b) { return null; }
    if (b.type === "uri") { return "iri"; }
    if (b.type === "bnode") { return "bnode"; }
    var dt = b.datatype || "";
    if (dt.indexOf(XSD) === 0) {
      var local = dt.slice(XSD.length);
      if (NUMERIC.test(local)) { return "number"; }
      if (DATES.test(local)) { return "date"; }
    }
    return "text";
  }

  /* Per variable: its kind when every bound value has the same one ("mixed" otherwise), how many rows bind it,
     and whether it is constant (one value in every row of a result of more than one row: ?lang, a parameter). */
  function columns(results) {
    var vars = results.getVariables(), rows = results.getBindings(), out = {};
    vars.forEach(function (v) {
      var kind = null, bound = 0, first = null, constant = true;
      rows.forEach(function (r) {
        var k = kindOf(r[v]);
        if (!k) { constant = false; return; }
        bound += 1;
        kind = kind === null || kind === k ? k : "mixed";
        if (first === null) { first = r[v].value; } else if (r[v].value !== first) { constant = false; }
      });
      out[v] = { name: v, kind: kind, bound: bound, constant: constant && rows.length > 1 };
    });
    return { vars: vars, rows: rows, cols: out, query: views.query || "" };
  }

  function aggregated(query, v) {
    return new RegExp("\\(\\s*(COUNT|SUM|AVG|MIN|MAX)\\s*\\([^]*?\\)\\s+AS\\s+\\?" + v + "\\s*\\)", "i").test(query);
  }

  function pick(c, test) { return c.vars.filter(function (v) { return test(c.cols[v]); }); }
  function full(c) { return function (col) { return col.bound === c.rows.length; }; }
  function varying(col) { return !col.constant; }

  /* What each view would draw from the result, or null when it cannot; ``fits``: chosen without asking. */
  var plans = {
    chart: function (c) {
      var numbers = pick(c, function (col) { return col.kind === "number" && full(c)(col) && varying(col); });
      var others = pick(c, function (col) { return col.kind !== "number" && col.bound && varying(col); });
      if (!numbers.length || !others.length || c.rows.length > MAX_ROWS.chart) { return null; }
      var counts = numbers.filter(function (v) { return aggregated(c.query, v); });
      var text = others.filter(function (v) { return c.cols[v].kind === "text"; });
      return { value: counts[0] || numbers[0], category: others[0], name: text[0] || others[0],
               fits: counts.length === 1 && numbers.length === 1 && others.length <= 2 };
    },
    timeline: function (c) {
      var dates = pick(c, function (col) { return col.kind === "date" && varying(col); });
      if (!dates.length || c.rows.length > MAX_ROWS.timeline) { return null; }
      var dated = c.rows.filter(function (r) { return dates.some(function (v) { return r[v]; }); }).length;
      var names = pick(c, function (col) { return col.kind === "text" && varying(col); })
        .concat(pick(c, function (col) { return col.kind === "iri" && varying(col); }));
      return dated ? { dates: dates, name: names[0], fits: dated * 2 >= c.rows.length } : null;
    },
    graph: function (c) {
      if (c.vars.join(" ") === "subject predicate object") {   // a CONSTRUCT or DESCRIBE result, as YASR parses it
        return c.rows.length <= MAX_ROWS.graph ? { from: "subject", to: "object", edge: "predicate", fits: true } : null;
      }
      var iris = pick(c, function (col) { return col.kind === "iri" && full(c)(col) && varying(col); });
      var weights = pick(c, function (col) { return col.kind === "number" && full(c)(col); });   // the last one
      if (iris.length < 2 || c.rows.length > MAX_ROWS.graph) { return null; }
      return { from: iris[0], to: iris[1], weight: weights[weights.length - 1], fits: iris.length === 2 && weights.length >= 1 };
    }
  };

  function display(b) {
    if (!b) { return ""; }
    return b.type === "uri" ? labels.text(b.value, views.curie(b.value)) : b.value;
  }

  function iriValues(c, vars) {
    var out = [];
    c.rows.forEach(function (r) { vars.forEach(function (v) { if (r[v] && r[v].type === "uri") { out.push(r[v].value); } }); });
    return out;
  }

  function icon(text) {
    var span = document.createElement("span");
    span.className = "view-icon";
    span.setAttribute("aria-hidden", "true");
    span.textContent = text;
    return span;
  }

  /* One YASR plugin per view: canHandleResults when its plan exists; a high priority when the plan fits. */
  function plugin(name, rank, symbol, draw) {
    function View(yasr) { this.yasr = yasr; this.label = views.names[name]; }
    View.prototype.plan = function () {
      return this.yasr.results ? plans[name](columns(this.yasr.results)) : null;
    };
    Object.defineProperty(View.prototype, "priority", {
      get: function () { var p = this.plan(); return p && p.fits ? rank : 1; }
    });
    View.prototype.canHandleResults = function () { return !!this.plan(); };
    View.prototype.getIcon = function () { return icon(symbol); };
    View.prototype.draw = function () {
      var c = columns(this.yasr.results), plan = plans[name](c), el = document.createElement("div");
      el.className = "kg92-view kg92-" + name;
      this.yasr.resultsEl.appendChild(el);
      var paint = function () {
        if (el.chart) { el.chart.destroy(); el.chart = null; }
        el.textContent = "";
        draw(el, c, plan);
      };
      this.repaint = paint;
      this.el = el;
      return labels.fetch(iriValues(c, c.vars)).then(paint);
    };
    View.prototype.destroy = function () {
      if (this.el && this.el.chart) { this.el.chart.destroy(); }
      this.repaint = null;
      this.el = null;
    };
    return View;
  }

  /* A canvas for Chart.js in a box of the given height, described for screen readers (the table view has the data) */
  function canvasIn(el, name, rows) {
    var canvas = document.createElement("canvas"), box = document.createElement("div");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", views.names[name] + " (" + rows + ")");
    box.className = "chart-box";
    box.appendChild(canvas);
    el.appendChild(box);
    box.style.height = Math.max(240, Math.min(4000, 24 * rows + 70)) + "px";
    return canvas;
  }

  /* ---------- chart: one bar per row ---------- */
  function drawChart(el, c, plan) {
    var names = c.rows.map(function (r) { return display(r[plan.name] || r[plan.category]); });
    var values = c.rows.map(function (r) { return Number(r[plan.value].value); });
    el.dataset.count = String(values.length);
    el.chart = new window.Chart(canvasIn(el, "chart", values.length), {
      type: "bar",
      data: { labels: names, datasets: [{ label: "?" + plan.value, data: values, backgroundColor: "#2f6f9f" }] },
      options: { indexAxis: "y", maintainAspectRatio: false, animation: false,
                 plugins: { legend: { display: false } } }
    });
  }

  /* ---------- timeline: one point per dated row, at its first date ---------- */
  function drawTimeline(el, c, plan) {
    var points = [];
    c.rows.forEach(function (r) {
      var v = plan.dates.filter(function (d) { return r[d]; })[0];
      var t = v && Date.parse(r[v].value);
      if (v && !isNaN(t)) { points.push({ x: t, when: r[v].value, name: plan.name ? display(r[plan.name]) : r[v].value }); }
    });
    points.sort(function (a, b) { return a.x - b.x; });
    points.forEach(function (p, i) { p.y = i; });
    el.dataset.count = String(points.length);
    var canvas = canvasIn(el, "timeline", points.length);
    var day = function (t) { return new Date(t).toISOString().slice(0, 10); };
    el.chart = new window.Chart(canvas, {
      type: "scatter",
      data: { datasets: [{ data: points, pointRadius: 5, backgroundColor: "#b5462f" }] },
      options: {
        maintainAspectRatio: false, animation: false, plugins: { legend: { display: false },
          tooltip: { callbacks: { label: function (ctx) { return ctx.raw.when + " — " + ctx.raw.name; } } } },
        scales: {
          x: { type: "linear", ticks: { callback: day } },
          y: { reverse: true, min: -0.5, max: points.length - 0.5, ticks: { stepSize: 1, autoSkip: false,
               callback: function (i) { return points[i] ? points[i].name.slice(0, 40) : ""; } } }
        }
      }
    });
  }

  /* ---------- graph: our own SVG, a small force layout ---------- */
  function layout(nodes, edges) {
    var n = nodes.length, i, j, step;
    // at most 150 steps and about 3 million pairs in all: a large graph keeps (mostly) its circle, and stays fast
    var steps = Math.max(0, Math.min(150, Math.floor(3e6 / (n * n || 1))));
    nodes.forEach(function (node, k) {
      node.x = Math.cos(2 * Math.PI * k / n) * 200 * Math.max(1, Math.sqrt(n / 30));
      node.y = Math.sin(2 * Math.PI * k / n) * 200 * Math.max(1, Math.sqrt(n / 30));
    });
    for (step = 0; step < steps; step++) {
      var cool = 1 - step / steps;
      for (i = 0; i < n; i++) {
        nodes[i].dx = 0; nodes[i].dy = 0;
        for (j = 0; j < n; j++) {
          if (i === j) { continue; }
          var ex = nodes[i].x - nodes[j].x, ey = nodes[i].y - nodes[j].y, d2 = ex * ex + ey * ey + 0.01;
          nodes[i].dx += ex * 900 / d2; nodes[i].dy += ey * 900 / d2;
        }
      }
      edges.forEach(function (e) {
        var a = e.a, b = e.b, ex = b.x - a.x, ey = b.y - a.y;
        a.dx += ex * 0.02; a.dy += ey * 0.02; b.dx -= ex * 0.02; b.dy -= ey * 0.02;
      });
      nodes.forEach(function (node) {
        node.dx -= node.x * 0.01; node.dy -= node.y * 0.01;
        var len = Math.sqrt(node.dx * node.dx + node.dy * node.dy) || 1, max = 20 * cool + 0.5;
        node.x += node.dx / len * Math.min(len, max); node.y += node.dy / len * Math.min(len, max);
      });
    }
  }

  function svg(tag, attrs, parent) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function drawGraph(el, c, plan) {
    var nodes = [], byIri = {}, edges = [];
    var node = function (b) {
      var key = b.type + " " + b.value;
      if (!byIri[key]) { byIri[key] = { b: b }; nodes.push(byIri[key]); }
      return byIri[key];
    };
    c.rows.forEach(function (r) {
      var from = r[plan.from], to = r[plan.to];
      if (!from || !to || to.type === "literal" || to.type === "typed-literal") { return; }
      edges.push({ a: node(from), b: node(to), w: plan.weight && r[plan.weight] ? Number(r[plan.weight].value) : 1,
                   title: plan.edge ? display(r[plan.edge]) : (plan.weight ? "?" + plan.weight + " = " + r[plan.weight].value : "") });
    });
    el.dataset.count = String(nodes.length);
    el.dataset.edges = String(edges.length);
    layout(nodes, edges);
    var xs = nodes.map(function (d) { return d.x; }), ys = nodes.map(function (d) { return d.y; });
    var pad = 120, minX = Math.min.apply(null, xs.concat([0])) - pad, minY = Math.min.apply(null, ys.concat([0])) - 30;
    var w = Math.max.apply(null, xs.concat([0])) - minX + pad, h = Math.max.apply(null, ys.concat([0])) - minY + 30;
    var root = svg("svg", { viewBox: [minX, minY, w, h].join(" "), role: "img", "aria-label": views.names.graph,
                            width: "100%", height: Math.min(900, Math.max(300, h)) }, el);
    var maxW = Math.max.apply(null, edges.map(function (e) { return e.w; }).concat([1]));
    edges.forEach(function (e) {
      var line = svg("line", { x1: e.a.x, y1: e.a.y, x2: e.b.x, y2: e.b.y, "class": "edge",
                               "stroke-width": 1 + 5 * e.w / maxW }, root);
      if (e.title) { svg("title", {}, line).textContent = e.title; }
    });
    nodes.forEach(function (d) {
      var href = d.b.type === "uri" && /^https?:\/\//.test(d.b.value) ? views.localHref(d.b.value) : null;
      var g = svg(href ? "a" : "g", href ? { href: href, "class": "node" } : { "class": "node" }, root);
      svg("circle", { cx: d.x, cy: d.y, r: 6 }, g);
      var text = d.b.type === "uri" ? display(d.b) : "[ ]";
      svg("text", { x: d.x + 9, y: d.y + 4 }, g).textContent = text.length > 48 ? text.slice(0, 47) + "…" : text;
      svg("title", {}, g).textContent = d.b.value;
    });
  }

  /* ---------- the choice of the view ---------- */
  function install(Yasr, options) {
    var have = { graph: true, chart: !!window.Chart && options.charts, timeline: !!window.Chart && options.charts };
    if (have.chart) {
      Yasr.registerPlugin("chart", plugin("chart", 20, "▤", drawChart));
      Yasr.registerPlugin("timeline", plugin("timeline", 25, "⋯", drawTimeline));
    }
    Yasr.registerPlugin("graph", plugin("graph", 30, "⬡", drawGraph));
    // a new result: the view that fits it (getCompatiblePlugins: by priority), until a view's button is clicked
    var setResponse = Yasr.prototype.setResponse, select = Yasr.prototype.selectPlugin;
    var chosen = Yasr.prototype.getSelectedPluginName;
    Yasr.prototype.setResponse = function (data, duration) {
      if (!this.kg92Fixed) { this.kg92Auto = true; }
      this.kg92Fixed = false;
      return setResponse.call(this, data, duration);
    };
    Yasr.prototype.selectPlugin = function (name) { this.kg92Auto = false; return select.call(this, name); };
    Yasr.prototype.getSelectedPluginName = function () {
      if (this.kg92Auto && this.results) {
        var best = this.getCompatiblePlugins()[0];
        if (best) { return best; }
      }
      return chosen.call(this);
    };
    labels.listeners.push(function () {
      views.instances.forEach(function (yasr) { if (yasr.plugins) { Object.keys(yasr.plugins).forEach(function (k) {
        var p = yasr.plugins[k];
        if (p.repaint && yasr.drawnPlugin === k) { p.repaint(); }
      }); } });
    });
    return have;
  }

  var views = {
    labels: labels, install: install, columns: columns, plans: plans, query: "", instances: [],
    names: { chart: "Chart", timeline: "Timeline", graph: "Graph" }, prefixes: {}, base: "",
    /* the page's config (editor.py's view_config): language, names of the views, prefixes, base of our IRIs */
    configure: function (config) {
      labels.lang = config.lang;
      views.names = config.viewNames;
      views.prefixes = config.prefixes;
      views.base = config.base;
    },
    curie: function (iri) {
      var best = "", prefixes = views.prefixes;
      Object.keys(prefixes).forEach(function (p) {
        if (iri.indexOf(prefixes[p]) === 0 && prefixes[p].length > (prefixes[best] || "").length) { best = p; }
      });
      return best ? best + ":" + iri.slice(prefixes[best].length) : iri;
    },
    localHref: function (iri) { return iri.indexOf(views.base) === 0 ? "/" + iri.slice(views.base.length) : iri; }
  };
  window.kg92Views = views;
})();
