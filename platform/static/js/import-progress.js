// The background import page (publishing/import_job.html): polls the job's JSON status and
// updates the progress bar, the counts, the time left and the errors until the job ends.
(function () {
  "use strict";
  var root = document.querySelector("[data-import-job]");
  if (!root) return;
  var url = root.getAttribute("data-status-url");
  var LABELS = { queued: "排队中", running: "导入中", done: "已完成", failed: "失败", interrupted: "已中断（可继续）" };

  function field(name) { return root.querySelector('[data-field="' + name + '"]'); }
  function setText(name, text) { var el = field(name); if (el) el.textContent = text; }

  function render(state) {
    setText("status", LABELS[state.status] || state.status);
    ["rows_done", "rows_total", "rows_written", "rows_failed"].forEach(function (name) {
      setText(name, String(state[name]));
    });
    setText("seconds_left", state.seconds_left === null ? "—" : Math.round(state.seconds_left) + " 秒");
    setText("message", state.message || "");
    var bar = field("bar");
    if (bar) { bar.max = state.rows_total || 1; bar.value = state.rows_done; }
    var body = field("errors");
    if (body) {
      body.textContent = "";
      state.errors.forEach(function (e) {
        var tr = document.createElement("tr");
        ["第 " + e.row + " 行", e.field || "—", e.message].forEach(function (text) {
          var td = document.createElement("td");
          td.textContent = text;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    }
    return state.status === "queued" || state.status === "running";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) { if (render(state)) window.setTimeout(poll, 1500); })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
