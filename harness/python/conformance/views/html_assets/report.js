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

  document.addEventListener("click", function (event) {
    var pill = event.target.closest("button.pill[aria-controls]");
    if (pill) { toggle(pill); return; }
    var filter = event.target.closest("[data-mode]");
    if (filter) {
      mode = filter.getAttribute("data-mode");
      document.querySelectorAll("[data-mode]").forEach(function (b) {
        b.setAttribute("aria-pressed", b === filter ? "true" : "false");
      });
      apply();
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

  document.getElementById("search").addEventListener("input", function (event) {
    query = event.target.value.trim().toLowerCase();
    apply();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll('button.pill[aria-expanded="true"]').forEach(function (p) { setOpen(p, false); });
    }
  });

  // A link to #d-<n> (copied from the address bar) opens that cell.
  function openFromHash() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (!target || !target.classList.contains("detail-row")) return;
    var pill = document.querySelector('[aria-controls="' + target.id + '"]');
    if (pill) { setOpen(pill, true); target.scrollIntoView({block: "center"}); }
  }
  window.addEventListener("hashchange", openFromHash);

  apply();
  openFromHash();
})();
