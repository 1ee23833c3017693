/* kg92 query editor: YASGUI when the build carries it (/ui/yasgui.min.js), else a plain editor.
   Examples: the starter queries, then the research queries (the gallery), listed by the page as links and given
   by the page config ready to run (research queries with their example values bound by the server).
   The query is kept in the page URL as a short share link: ?q=… carries it once, without the PREFIX lines of the
   project's prefixes (the server puts back those it uses) and without any endpoint; YASQE's share button gives the
   same link, and the "embed" link the same query on /editor/embed (the result view alone, for an iframe).
   Labels and the chart, timeline and graph views: static/views.js.
   Nothing here calls a service other than this server (YASQE's LOV autocompleters are turned off). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg92-config").textContent);
  var endpoint = window.location.origin + config.endpoint;
  var base = config.base;
  var lang = config.lang;
  var form = document.getElementById("plain-editor");
  var yasgui = null;
  var views = window.kg92Views;
  var toggle = document.getElementById("labels-toggle");
  var showResults = false;   // scroll to the results when drawn (an example chosen on a phone)

  function localHref(iri) { return views.localHref(iri); }

  function linkable(iri) {
    // only web IRIs become links: javascript:, data:, urn:, mailto:… are shown as text (as on the server's pages)
    return /^https?:\/\//.test(iri);
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* The query without the PREFIX lines that declare a project prefix as the project does (put back by the server) */
  function shortQuery(query) {
    return query.split("\n").filter(function (line) {
      var m = /^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>\s*$/i.exec(line);
      return !(m && config.prefixes[m[1]] === m[2]);
    }).join("\n").replace(/^\s*\n/, "");
  }

  function shareLink(query, path) {
    return (path || "/editor") + "?" + new URLSearchParams({ q: shortQuery(query) }).toString();
  }

  function keepInUrl(query) {
    var url = shareLink(query);
    window.history.replaceState(null, "", url);
    document.getElementById("plain-share").href = url;
    document.getElementById("share-link").href = url;
    embedLink(query);
  }

  function embedLink(query, view) {
    var a = document.getElementById("embed-link");
    a.dataset.query = query;
    a.href = shareLink(query, "/editor/embed") + (view ? "&view=" + encodeURIComponent(view) : "");
  }

  /* ---------- examples ----------
     The page lists them as links (they work without JavaScript: a starter opens the editor with its query, a
     research query opens its own page). Here a click runs the example in the editor instead. The server gives
     each one ready to run: `query`, with the research query's example values already bound (see querypages.py);
     a research query without one (null) keeps its link, which runs it server-side. */
  function run(sparql) {
    if (yasgui) {
      var tab = yasgui.getTab();
      tab.setQuery(sparql);
      tab.query();
    } else {
      document.getElementById("plain-query").value = sparql;
      plainRun();
    }
    keepInUrl(sparql);
    // on a phone the examples are under the editor (kg92.css): show the results of the one just chosen, once drawn
    showResults = window.matchMedia("(max-width: 48rem)").matches;
    if (showResults && !yasgui) { document.getElementById("plain-status").scrollIntoView(); }
  }

  function bindExamples() {
    var byName = {};
    config.examples.forEach(function (ex) { byName["starter:" + ex.name] = ex; });
    (config.gallery || []).forEach(function (ex) { byName["gallery:" + ex.name] = ex; });
    document.querySelectorAll("#examples a.example").forEach(function (a) {
      var ex = byName[(a.dataset.gallery ? "gallery:" : "starter:") + a.dataset.name];
      if (!ex || !ex.query) { return; }              // no ready text: the link opens the query's page
      a.addEventListener("click", function (ev) {
        if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button) { return; }   // a new tab still opens the link
        ev.preventDefault();
        run(ex.query);
      });
    });
  }

  /* ---------- YASGUI ---------- */
  function startYasgui() {
    var Table = window.Yasgui.Yasr.plugins.table;
    Table.defaults.openIriInNewWindow = false;
    var original = Table.prototype.getUriLinkFromBinding;
    var ours = new RegExp("href=([\"'])" + base.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"), "g");
    Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      if (!linkable(binding.value)) { return "&lt;" + escapeHtml(binding.value) + "&gt;"; }   // text, not a link
      // links to the graph's IRIs open their page on this server; data-iri: the labels (views.js) find them
      return original.call(this, binding, prefixes).replace(ours, "href=$1/")
        .replace("<a ", '<a data-iri="' + escapeHtml(binding.value) + '" ');
    };
    views.install(window.Yasgui.Yasr, { charts: config.charts });
    // YASQE's class and property autocompleters ask lov.linkeddata.es (an outside service) for suggestions: off.
    // The local ones stay: variables of the query, and prefixes (its bundled list; prefixCcApi is not set).
    var completers = window.Yasgui.Yasqe.defaults.autocompleters;
    completers.splice.apply(completers, [0, completers.length].concat(
      completers.filter(function (name) { return name === "variables" || name === "prefixes"; })));
    var prefixes = config.prefixes;
    yasgui = new window.Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: false,
      persistenceId: "kg92-editor",
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
      populateFromUrl: function (tabConfig) {
        // a shared link sets the query, never another endpoint or extra request arguments
        tabConfig.requestConfig = Object.assign({}, tabConfig.requestConfig, { endpoint: endpoint, args: [] });
        return tabConfig;
      },
      yasqe: { value: config["default"], prefixCcApi: null, autofocus: false },   // the page keeps the focus
      yasr: { prefixes: prefixes }
    });
    // YASQE's share button: the short link (YASGUI's own has the query twice, the endpoint and the request options)
    Object.getPrototypeOf(yasgui.getTab()).getShareableLink = function () {
      return window.location.origin + shareLink(this.getQuery());
    };
    yasgui.on("query", function (y, tab) {
      views.query = tab.getQuery();
      var yasr = tab.getYasr();
      if (views.instances.indexOf(yasr) < 0) {
        views.instances.push(yasr);
        yasr.on("drawn", function (instance, plugin) {
          if (showResults) { showResults = false; instance.rootEl.scrollIntoView(); }
          var name = Object.keys(instance.plugins).filter(function (k) { return instance.plugins[k] === plugin; })[0];
          embedLink(document.getElementById("embed-link").dataset.query || tab.getQuery(), instance.kg92Auto ? "" : name);
        });
      }
      keepInUrl(tab.getQuery());
    });
    views.query = yasgui.getTab().getQuery();
    document.getElementById("yasgui").addEventListener("click", function (ev) {
      // YASR opens every link in a new window; pages of this graph open in this one (Back returns to the results)
      var a = ev.target.closest && ev.target.closest("a.iri");
      if (a && a.origin === window.location.origin && !(ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button)) {
        ev.preventDefault();
        window.location.assign(a.href);
      }
    }, true);
    form.hidden = true;
    document.getElementById("yasgui").hidden = false;
    var a11y = window.kg92A11y, root = document.getElementById("yasgui");   // labels, Esc then Tab: static/a11y.js
    a11y.watch(root);
    a11y.escapable(root);
    a11y.noFocusOnLoad(root);
  }

  /* ---------- plain editor ---------- */
  function cellText(c) { return c ? c.value : ""; }

  function toCsv(vars, rows) {
    var esc = function (s) { return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
    return [vars.join(",")].concat(rows.map(function (r) {
      return vars.map(function (v) { return esc(cellText(r[v])); }).join(",");
    })).join("\r\n") + "\r\n";
  }

  function download(id, text, type) {
    var a = document.getElementById(id);
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.hidden = false;
  }

  function renderTable(body) {
    var table = document.getElementById("plain-results");
    table.textContent = "";
    var vars = body.head.vars || [];
    var thead = table.createTHead().insertRow();
    vars.forEach(function (v) { var th = document.createElement("th"); th.scope = "col"; th.textContent = v; thead.appendChild(th); });
    var tbody = table.createTBody();
    body.results.bindings.forEach(function (row) {
      var tr = tbody.insertRow();
      vars.forEach(function (v) {
        var td = tr.insertCell(), c = row[v];
        if (c && c.type === "uri" && linkable(c.value)) {
          var a = document.createElement("a");
          a.href = localHref(c.value);
          a.dataset.iri = c.value;
          a.textContent = views.curie(c.value);
          td.appendChild(a);
        } else if (c && c.type === "uri") {
          td.textContent = "<" + c.value + ">";    // not a web IRI: text, never a link
        } else { td.textContent = cellText(c); }
      });
    });
    download("plain-csv", toCsv(vars, body.results.bindings), "text/csv");
    download("plain-json", JSON.stringify(body, null, 1), "application/json");
    return body.results.bindings.length;
  }

  function plainRun() {
    var query = document.getElementById("plain-query").value;
    var status = document.getElementById("plain-status");
    var raw = document.getElementById("plain-raw");
    status.textContent = "…";
    raw.hidden = true;
    keepInUrl(query);
    fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
                 Accept: "application/sparql-results+json, text/turtle;q=0.9, */*;q=0.1" },
      body: "query=" + encodeURIComponent(query)
    }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      return (type.indexOf("json") >= 0 && type.indexOf("ld+json") < 0 ? r.json() : r.text()).then(function (body) {
        if (!r.ok) { throw new Error(typeof body === "string" ? body : JSON.stringify(body.error || body)); }
        if (typeof body === "string") {
          document.getElementById("plain-results").textContent = "";
          raw.textContent = body; raw.hidden = false; status.textContent = "";
          download("plain-json", body, type);
        } else if (body.boolean !== undefined) {
          document.getElementById("plain-results").textContent = "";
          status.textContent = "ASK → " + body.boolean;
        } else {
          status.textContent = renderTable(body) + (lang === "en" ? " row(s)" : " ligne(s)");
        }
      });
    }).catch(function (e) { status.textContent = e.message; });
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); plainRun(); });
  views.configure(config);
  views.labels.enabled = toggle.checked;
  toggle.addEventListener("change", function () { views.labels.setEnabled(toggle.checked); });
  views.labels.watch(document.getElementById("yasgui"));
  views.labels.watch(document.getElementById("plain-results"));
  bindExamples();
  if (form.dataset.yasgui && window.Yasgui) {
    if (config.shared) { window.history.replaceState(null, "", "/editor"); }   // YASGUI reads no ?query= of its own
    startYasgui();
    if (config.shared) { run(config.shared); }
  } else {
    document.getElementById("yasgui").hidden = true;
    form.hidden = false;
    if (config.shared) { plainRun(); }
  }
})();
