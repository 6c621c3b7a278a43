// The header's menu on narrow screens. Without JavaScript the menu simply stays open (the button stays hidden),
// so this only adds the collapsing. Loaded as a file because the CSP forbids inline scripts.
(function () {
  "use strict";
  function setUp() {
    var button = document.querySelector(".menu-button");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) return;
    document.documentElement.classList.add("js-menu");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    });
    // One dropdown (Plan, the user menu) open at a time; a click elsewhere or Escape closes them.
    var dropdowns = document.querySelectorAll(".site-header details");
    dropdowns.forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (!details.open) return;
        dropdowns.forEach(function (other) { if (other !== details) other.open = false; });
      });
    });
    document.addEventListener("click", function (event) {
      dropdowns.forEach(function (details) {
        if (details.open && !details.contains(event.target)) details.open = false;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      dropdowns.forEach(function (details) {
        if (details.open) { details.open = false; details.querySelector("summary").focus(); }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
