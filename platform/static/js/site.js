// Autocomplete for search boxes marked with data-autocomplete: titles from /api/search/autocomplete/.
(function () {
  "use strict";
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    var list = document.createElement("ul");
    list.className = "autocomplete";
    list.hidden = true;
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    input.setAttribute("aria-controls", list.id);
    input.parentNode.appendChild(list);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { list.hidden = true; return; }
      timer = setTimeout(function () {
        fetch(input.dataset.autocomplete + "?q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            list.innerHTML = "";
            (data.suggestions || []).forEach(function (s) {
              var li = document.createElement("li");
              li.setAttribute("role", "option");
              var a = document.createElement("a");
              a.href = s.url; a.textContent = s.title;
              li.appendChild(a); list.appendChild(li);
            });
            list.hidden = !list.children.length;
          })
          .catch(function () { list.hidden = true; });
      }, 150);
    });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") { list.hidden = true; } });
    document.addEventListener("click", function (e) { if (!list.contains(e.target) && e.target !== input) { list.hidden = true; } });
  });
})();

// Facet checkboxes marked data-autosubmit apply the filter at once (no inline handlers: CSP).
document.querySelectorAll("input[data-autosubmit]").forEach(function (input) {
  input.addEventListener("change", function () { input.form.submit(); });
});

// Print buttons (data-print): no inline handlers under the CSP.
document.querySelectorAll("button[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
