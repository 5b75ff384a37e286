// Buttons marked data-print print the page (the QR sheet); a file, not an onclick, for the CSP.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
