// The rankings page (reporting/rankings/rankings.html); a file, not inline, for the CSP.
// With JavaScript the checkbox applies at once; the links (sorting, the toggle) keep the choice.
(function () {
  var box = document.getElementById("rk-detail"), tables = document.getElementById("rk-tables");
  var toggle = document.getElementById("rk-detail-link");
  if (!box || !tables) return;
  function withDetail(href, on) {
    var url = new URL(href, window.location.href);
    if (on) { url.searchParams.set("detail", "1"); } else { url.searchParams.delete("detail"); }
    return url.pathname + url.search;
  }
  function apply(on) {
    box.checked = on;
    tables.classList.toggle("show-detail", on);
    window.history.replaceState(null, "", withDetail(window.location.href, on));
    document.querySelectorAll(".rk-table th a").forEach(function (a) { a.href = withDetail(a.href, on); });
    if (toggle) {
      toggle.textContent = on ? toggle.dataset.on : toggle.dataset.off;
      toggle.href = withDetail(toggle.href, !on);
    }
  }
  box.addEventListener("change", function () { apply(box.checked); });
  if (toggle) {
    toggle.addEventListener("click", function (event) { event.preventDefault(); apply(!box.checked); });
  }
})();
