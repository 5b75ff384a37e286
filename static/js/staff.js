/* 好差评 staff pages. Optional, like htmx itself; no inline code (CSP).
   - When an action's form comes back with errors (htmx swaps the panel in place), the focus moves to the
     first field in error, so a keyboard or screen-reader user lands on the field and hears its error (tied
     to it by aria-describedby); a refusal of the whole step (role=alert) is read out by itself.
   - The inbox's bulk form: "全选本页" ticks the page's rows without reloading it (without JavaScript the
     link reloads the page with every row ticked), changing a row's department or category ticks the row,
     and the bar says how many rows are ticked. Delegated from the document, so it survives htmx swaps. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    if (!config || config.verb !== "post") { return; }
    var panel = event.detail.elt;  // the new panel: htmx settles the elements it swapped in
    var invalid = panel && panel.querySelector ? panel.querySelector('[aria-invalid="true"]') : null;
    if (invalid) { invalid.focus(); }
  });

  function boxes(form) { return form.querySelectorAll('input[type="checkbox"][name="order"]'); }

  function refresh(form) {
    var ticked = 0;
    boxes(form).forEach(function (box) {
      ticked += box.checked ? 1 : 0;
      var row = box.closest("tr");
      if (row) { row.classList.toggle("wo-picked", box.checked); }
    });
    var count = form.querySelector("[data-bulk-count]");
    if (count) { count.textContent = ticked ? count.getAttribute("data-template").replace("N", ticked) : ""; }
    var toggle = form.querySelector("[data-select-page]");
    if (toggle) {
      var all = ticked > 0 && ticked === boxes(form).length;
      toggle.setAttribute("data-select-page", all ? "off" : "on");
      toggle.textContent = toggle.getAttribute(all ? "data-off" : "data-on");
    }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest("[data-select-page]") : null;
    if (!toggle) { return; }
    var form = toggle.closest("form");
    if (!form) { return; }
    event.preventDefault();
    var on = toggle.getAttribute("data-select-page") === "on";
    boxes(form).forEach(function (box) { box.checked = on; });
    refresh(form);
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target.closest ? target.closest("form.wo-bulk") : null;
    if (!form) { return; }
    var pick = target.getAttribute("data-pick");
    if (pick) {
      var box = document.getElementById(pick);
      if (box) { box.checked = true; }
    }
    refresh(form);
  });
})();
