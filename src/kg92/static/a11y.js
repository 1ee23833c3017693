/* kg92: what YASGUI's widgets lack for keyboards and screen readers (issue 16, item 8), on /editor and
   /editor/embed. YASGUI draws (and redraws) its widgets itself, so one observer of its root names them as they come:
   the query box (CodeMirror's textarea) and the endpoint field get a label, YASR's selects a label, the empty header
   cell of the row numbers a text, and the "add tab" button leaves the tab list (a tablist holds tabs only).
   The query box never takes the focus on load, and Esc then Tab leaves it (CodeMirror keeps Tab to indent): after
   Esc, the next Tab or Shift+Tab is the browser's. The page says so (#editor-keys, the textarea's description). */
(function () {
  "use strict";
  var en = document.documentElement.lang === "en";
  var TEXT = {
    query: en ? "SPARQL query" : "Requête SPARQL",
    endpoint: en ? "SPARQL endpoint" : "Service SPARQL (endpoint)",
    rows: en ? "Rows per page" : "Lignes par page",
    select: en ? "Option of the view" : "Option de la vue",
    number: en ? "Row number" : "Numéro de ligne"
  };

  function name(el, text) {
    if (!el.getAttribute("aria-label") && !el.labels.length) { el.setAttribute("aria-label", text); }
  }

  function fix(root) {
    root.querySelectorAll(".CodeMirror textarea").forEach(function (t) {
      name(t, TEXT.query);
      if (document.getElementById("editor-keys")) { t.setAttribute("aria-describedby", "editor-keys"); }
    });
    root.querySelectorAll("input.autocomplete").forEach(function (i) { name(i, TEXT.endpoint); });
    root.querySelectorAll("select").forEach(function (s) {
      name(s, s.classList.contains("tableSizer") ? TEXT.rows : TEXT.select);
    });
    root.querySelectorAll("th .dt-column-title:empty").forEach(function (span) {
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = TEXT.number;
      span.appendChild(hidden);
    });
    // CodeMirror scrolls a box that holds no focusable element (its textarea is outside): arrows scroll it
    root.querySelectorAll(".CodeMirror-scroll:not([tabindex=\"0\"])").forEach(function (s) { s.tabIndex = 0; });
    root.querySelectorAll(".tabsList > div > button.addTab").forEach(function (b) {
      var list = b.closest(".tabsList");
      var box = b.parentNode;
      box.className = "addTabBox";
      list.parentNode.insertBefore(box, list.nextSibling);
    });
  }

  function watch(root) {
    if (!root) { return; }
    fix(root);
    new MutationObserver(function () { fix(root); }).observe(root, { childList: true, subtree: true });
  }

  /* The first element the keyboard reaches after CodeMirror ``box`` (``back``: before it) that is not its textarea or
     its scroll box (YASQE's buttons, drawn inside it, come next) */
  function neighbour(box, back) {
    function own(el) { return box.contains(el) && (el.tagName === "TEXTAREA" || el.closest(".CodeMirror-scroll")); }
    var all = Array.prototype.filter.call(document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]"),
      function (el) { return el.tabIndex >= 0 && !el.disabled && el.getClientRects().length && !own(el); });
    var side = back ? Node.DOCUMENT_POSITION_PRECEDING : Node.DOCUMENT_POSITION_FOLLOWING;
    var found = all.filter(function (el) { return box.compareDocumentPosition(el) & side; });
    return back ? found[found.length - 1] : found[0];
  }

  /* Esc then Tab (or Shift+Tab): out of the query box, to what comes after (or before) it. YASQE's Esc blurs the box
     (the focus is then on <body>, and the browser's Tab would go to CodeMirror's scroll box, still in the editor):
     a listener on the window, before any other, takes that Tab. */
  function escapable(root) {
    var escaped = null;
    window.addEventListener("keydown", function (ev) {
      var box = root.contains(ev.target) && ev.target.closest(".CodeMirror");
      if (ev.key === "Escape" && box) { escaped = box; return; }
      if (ev.key === "Tab" && escaped && (ev.target === document.body || escaped.contains(ev.target))) {
        ev.preventDefault();
        ev.stopPropagation();
        var next = neighbour(escaped, ev.shiftKey);
        if (next) { next.focus(); }
      }
      if (ev.key !== "Shift") { escaped = null; }
    }, true);
  }

  /* The query box must not hold the focus the page did not give it (YASQE focuses itself when drawn) */
  function noFocusOnLoad(root) {
    var active = document.activeElement;
    if (active && root.contains(active) && active.closest(".CodeMirror")) { active.blur(); }
  }

  window.kg92A11y = { watch: watch, escapable: escapable, noFocusOnLoad: noFocusOnLoad };
})();
