// Inlined into index.html by html_report.py. Everything is already in the
// page (rendered by Python); this only shows, hides and filters it.
(function () {
  "use strict";
  var mode = "all";
  var query = "";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.case-row"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("tbody.clause"));

  function detailRowsOf(row) {
    return Array.prototype.slice.call(
      document.querySelectorAll('tr.detail-row[data-case="' + row.getAttribute("data-case") + '"]'));
  }

  function setOpen(pill, open) {
    var detail = document.getElementById(pill.getAttribute("aria-controls"));
    if (!detail) return;
    pill.setAttribute("aria-expanded", open ? "true" : "false");
    detail.hidden = !open;
  }

  function toggle(pill) {
    setOpen(pill, pill.getAttribute("aria-expanded") !== "true");
  }

  function matches(row) {
    if (mode === "unexpected" && row.getAttribute("data-unexpected") !== "1") return false;
    if (mode === "failing" && row.getAttribute("data-failing") !== "1") return false;
    return !query || row.getAttribute("data-search").indexOf(query) !== -1;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row);
      row.hidden = !visible;
      if (visible) shown += 1;
      detailRowsOf(row).forEach(function (detail) {
        var pill = document.querySelector('[aria-controls="' + detail.id + '"]');
        detail.hidden = !visible || !pill || pill.getAttribute("aria-expanded") !== "true";
      });
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("tr.case-row:not([hidden])");
    });
    document.getElementById("shown").textContent = shown + " of " + rows.length + " cases";
    document.getElementById("nothing").hidden = shown !== 0;
  }

  // The address carries the filter state and, optionally, one target:
  // #mode=failing&q=mono, #disposed/while-pending@mono, or both joined by "&".
  function readHash() {
    var state = {mode: "all", query: "", target: ""};
    (location.hash.slice(1) || "").split("&").forEach(function (part) {
      if (!part) return;
      var equals = part.indexOf("=");
      if (equals === -1) { state.target = decodeURIComponent(part); return; }
      var key = part.slice(0, equals), value = decodeURIComponent(part.slice(equals + 1));
      if (key === "mode" && ["all", "unexpected", "failing"].indexOf(value) !== -1) state.mode = value;
      if (key === "q") state.query = value;
    });
    return state;
  }

  var target = "";
  function writeHash() {
    var parts = [];
    if (target) parts.push(encodeURI(target));
    if (mode !== "all") parts.push("mode=" + mode);
    if (query) parts.push("q=" + encodeURIComponent(query));
    var hash = parts.length ? "#" + parts.join("&") : location.pathname + location.search;
    if (history.replaceState) history.replaceState(null, "", hash);
  }

  function setMode(value) {
    mode = value;
    document.querySelectorAll("[data-mode]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-mode") === mode ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    var pill = event.target.closest("button.pill[aria-controls]");
    if (pill) { toggle(pill); return; }
    var filter = event.target.closest("[data-mode]");
    if (filter) {
      setMode(filter.getAttribute("data-mode"));
      apply();
      writeHash();
      return;
    }
    var all = event.target.closest("[data-expand]");
    if (all) {
      var open = all.getAttribute("data-expand") === "open";
      rows.forEach(function (row) {
        if (row.hidden) return;
        row.querySelectorAll("button.pill[aria-controls]").forEach(function (p) { setOpen(p, open); });
      });
    }
  });

  var search = document.getElementById("search");
  search.addEventListener("input", function (event) {
    query = event.target.value.trim().toLowerCase();
    apply();
    writeHash();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll('button.pill[aria-expanded="true"]').forEach(function (p) { setOpen(p, false); });
    }
  });

  // A link to a cell (#case@adapter) opens it; a link to a case
  // (#case) opens every cell of that case; either is scrolled to and stays
  // visible whatever the filter says.
  function fromHash() {
    var state = readHash();
    setMode(state.mode);
    query = state.query.toLowerCase();
    search.value = state.query;
    target = state.target;
    var element = target && document.getElementById(target);
    if (element && (element.classList.contains("detail-row") || element.classList.contains("case-row"))) {
      var row = element.classList.contains("case-row") ? element
        : document.querySelector('tr.case-row[data-case="' + element.getAttribute("data-case") + '"]');
      if (row && !matches(row)) { setMode("all"); query = ""; search.value = ""; }
      var cells = element.classList.contains("detail-row") ? [element] : detailRowsOf(element);
      cells.forEach(function (cell) {
        var pill = document.querySelector('[aria-controls="' + cell.id + '"]');
        if (pill) setOpen(pill, true);
      });
      apply();
      element.scrollIntoView({block: "start"});
      return;
    }
    apply();
    if (element) element.scrollIntoView({block: "start"});
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
