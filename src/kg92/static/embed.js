/* kg92 embedded result view (/editor/embed?q=…&view=…): the query of a share link run on this server and shown in
   one YASR view (views.js: the view the columns fit, or view=table|chart|timeline|graph), with the labels. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg92-config").textContent);
  var views = window.kg92Views;
  var status = document.getElementById("embed-status");
  views.configure(config);
  views.query = config.shared;
  if (!window.Yasgui) {
    status.textContent = config.lang === "en" ? "The result views could not be installed with this build."
                                              : "Les vues des résultats n'ont pas pu être installées avec ce build.";
    return;
  }
  var Yasr = window.Yasgui.Yasr;
  views.install(Yasr, { charts: config.charts });
  var root = document.getElementById("embed-view");
  views.labels.watch(root);
  window.kg92A11y.watch(root);    // names of YASR's widgets: static/a11y.js
  var yasr = new Yasr(root, { prefixes: config.prefixes, persistenceId: null });
  views.instances.push(yasr);
  status.textContent = "…";
  var started = Date.now();
  fetch(window.location.origin + config.endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded",
               Accept: "application/sparql-results+json, text/turtle;q=0.9" },
    body: "query=" + encodeURIComponent(config.shared)
  }).then(function (r) {
    return r.text().then(function (body) {
      status.textContent = r.ok ? "" : body.slice(0, 500);
      if (config.view && Yasr.plugins[config.view]) { yasr.kg92Fixed = true; yasr.selectedPlugin = config.view; }
      yasr.setResponse({ data: body, contentType: r.headers.get("Content-Type"), status: r.status }, Date.now() - started);
    });
  }).catch(function (e) { status.textContent = e.message; });
})();
