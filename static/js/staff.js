/* 好差评 staff pages. Optional, like htmx itself: when an action's form comes back with errors (htmx swaps
   the panel in place), the focus moves to the first field in error, so a keyboard or screen-reader user
   lands on the field and hears its error (tied to it by aria-describedby); a refusal of the whole step
   (role=alert) is read out by itself. No inline code (CSP). */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    if (!config || config.verb !== "post") { return; }
    var panel = event.detail.elt;  // the new panel: htmx settles the elements it swapped in
    var invalid = panel && panel.querySelector ? panel.querySelector('[aria-invalid="true"]') : null;
    if (invalid) { invalid.focus(); }
  });
})();
