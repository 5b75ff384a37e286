// The circular page (reporting/circulars/detail.html): the print button, shown when JavaScript runs.
// A file, not inline, for the CSP.
(function () {
  var button = document.getElementById("circ-print");
  if (!button) return;
  button.hidden = false;
  document.body.classList.add("js");
  button.addEventListener("click", function () { window.print(); });
})();
