/* kg92 query editor: YASGUI when the build carries it (/ui/yasgui.min.js), else a plain editor.
   Examples: the starter queries of the page config, then the canned queries of /queries.json (if it answers).
   The query is kept in the page URL (?query=…), so the address bar is always a shareable link. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg92-config").textContent);
  var endpoint = window.location.origin + config.endpoint;
  var base = config.base;
  var lang = config.lang;
  var form = document.getElementById("plain-editor");
  var yasgui = null;

  function localHref(iri) {
    return iri.indexOf(base) === 0 ? "/" + iri.slice(base.length) : iri;
  }

  function keepInUrl(query) {
    var url = "/editor?query=" + encodeURIComponent(query);
    window.history.replaceState(null, "", url);
    document.getElementById("plain-share").href = url;
  }

  /* ---------- examples ---------- */
  function withParams(q) {
    // canned queries bind their parameters server-side; in the editor they become a VALUES clause to edit
    var sparql = q.sparql;
    var given = (q.example && typeof q.example === "object") ? q.example : {};
    var lines = [];
    (q.params || []).forEach(function (p) {
      var v = given[p.name] || p.default;
      if (!v) { lines.push("# ?" + p.name + " (" + p.type + "): " + (p.help || "") + " — unbound"); return; }
      var term = p.type === "iri" ? "<" + v + ">" : p.type === "integer" ? v
        : p.type === "date" ? JSON.stringify(v) + "^^<http://www.w3.org/2001/XMLSchema#date>" : JSON.stringify(v);
      lines.push("VALUES ?" + p.name + " { " + term + " }  # " + (p.help || p.name));
    });
    return lines.length ? sparql.replace(/\s*$/, "") + "\n# parameters / paramètres:\n" + lines.join("\n") + "\n" : sparql;
  }

  function usedPrefixes(prologue, body) {
    // only the PREFIX lines that the example uses: the query stays readable (the default query has them all)
    return prologue.split("\n").filter(function (line) {
      var m = /^PREFIX\s+([\w-]*):/.exec(line);
      return m && new RegExp("(^|[^\\w<#/-])" + m[1] + ":").test(body);
    }).join("\n") + (prologue ? "\n\n" : "");
  }

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
  }

  function addExamples(title, list, prologue) {
    var ul = document.getElementById("examples");
    if (title) {
      var h = document.createElement("li");
      h.className = "group-title";
      h.textContent = title;
      ul.appendChild(h);
    }
    list.forEach(function (q) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "example";
      b.dataset.name = q.name;
      b.textContent = (q.title && (q.title[lang] || q.title.fr)) || q.name;
      if (q.description) { b.title = q.description[lang] || q.description.fr || ""; }
      b.addEventListener("click", function () { run(usedPrefixes(prologue || "", q.sparql) + withParams(q)); });
      li.appendChild(b);
      ul.appendChild(li);
    });
  }

  function loadExamples() {
    var ul = document.getElementById("examples");
    ul.textContent = "";
    addExamples(null, config.examples, config.prologue + "\n");
    fetch("/queries.json", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { queries: [] }; })
      .then(function (body) {
        if (body.queries && body.queries.length) {
          addExamples(lang === "en" ? "Research queries" : "Requêtes de recherche", body.queries, "");
        }
      })
      .catch(function () { /* the editor works without the gallery */ });
  }

  /* ---------- YASGUI ---------- */
  function startYasgui() {
    var Table = window.Yasgui.Yasr.plugins.table;
    Table.defaults.openIriInNewWindow = false;
    var original = Table.prototype.getUriLinkFromBinding;
    var ours = new RegExp("href=([\"'])" + base.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"), "g");
    Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      // links to the graph's IRIs open their page on this server
      return original.call(this, binding, prefixes).replace(ours, "href=$1/");
    };
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
      yasqe: { value: config["default"] },
      yasr: { prefixes: prefixes }
    });
    yasgui.on("query", function (y, tab) { keepInUrl(tab.getQuery()); });
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
        if (c && c.type === "uri") {
          var a = document.createElement("a");
          a.href = localHref(c.value);
          a.textContent = c.value;
          td.appendChild(a);
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
  loadExamples();
  if (form.dataset.yasgui && window.Yasgui) {
    startYasgui();
  } else {
    document.getElementById("yasgui").hidden = true;
    form.hidden = false;
    if (new URLSearchParams(window.location.search).get("query")) { plainRun(); }
  }
})();
