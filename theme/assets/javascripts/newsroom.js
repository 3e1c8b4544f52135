/* Newsroom: the 大字 (large text) switch. No libraries, no network. */
(function () {
  "use strict";
  var KEY = "nr-large", root = document.documentElement;
  function store(on) {
    try { if (on) { localStorage.setItem(KEY, "1"); } else { localStorage.removeItem(KEY); } } catch (e) { /* private mode */ }
  }
  function apply(on) {
    root.classList.toggle("nr-large", on);
    var buttons = document.querySelectorAll("[data-nr-large]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].setAttribute("title", on ? "还原文字大小" : "放大文字");
    }
  }
  function init() {
    apply(root.classList.contains("nr-large"));
    document.addEventListener("click", function (ev) {
      var button = ev.target.closest && ev.target.closest("[data-nr-large]");
      if (!button) { return; }
      var on = !root.classList.contains("nr-large");
      apply(on);
      store(on);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
