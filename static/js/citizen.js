/* 好差评 citizen pages. Optional: without this script every tag is listed under the heading of its
   grade and the server refuses a tag of another grade. With it, each rating block shows only the
   tags of the grade chosen (the others are disabled, so they are not sent), the comment counts down,
   and the submit button cannot be pressed twice. Plain ES5 for old phones; no inline code (CSP). */
(function () {
  "use strict";

  function each(list, fn) {
    for (var i = 0; i < list.length; i++) { fn(list[i]); }
  }

  function setupBlock(block) {
    var radios = block.querySelectorAll('input[type="radio"][name$="grade"]');
    var groups = block.querySelectorAll("[data-grade]");
    var placeholder = block.querySelector("[data-tags-placeholder]");
    if (!radios.length || !groups.length) { return; }
    function update() {
      var chosen = null;
      each(radios, function (radio) { if (radio.checked) { chosen = radio.value; } });
      each(groups, function (group) {
        var show = group.getAttribute("data-grade") === chosen;
        group.hidden = !show;
        each(group.querySelectorAll("input"), function (box) { box.disabled = !show; });
      });
      if (placeholder) { placeholder.hidden = chosen !== null; }
    }
    each(radios, function (radio) { radio.addEventListener("change", update); });
    update();
  }

  function setupCounter(textarea) {
    var hint = document.getElementById(textarea.id + "-count");
    var limit = parseInt(textarea.getAttribute("maxlength"), 10);
    if (!hint || !limit) { return; }
    var template = hint.getAttribute("data-counter-template");
    function update() {
      hint.textContent = template.replace("%(n)s", String(Math.max(0, limit - textarea.value.length)));
    }
    textarea.addEventListener("input", update);
    update();
  }

  function setupSubmit(form) {
    var button = form.querySelector("button[type=submit]");
    if (!button) { return; }
    var label = button.textContent;
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = button.getAttribute("data-busy-text") || label;
      }, 0);
    });
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.textContent = label;
    });
  }

  function start() {
    each(document.querySelectorAll("[data-rating-block]"), setupBlock);
    each(document.querySelectorAll("textarea[maxlength]"), setupCounter);
    each(document.querySelectorAll("form.c-form"), setupSubmit);
    var firstError = document.querySelector(".c-invalid");
    if (firstError && firstError.scrollIntoView) { firstError.scrollIntoView(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
