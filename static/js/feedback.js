// Feedback after an action, loaded as a file because the CSP forbids inline scripts (and htmx's hx-on, which
// needs eval):
// - after htmx swaps a part of the page, focus goes to the first field with an error, else – when the swap
//   removed the focused element – to the swapped part's first heading, so keyboard and screen-reader users
//   land where the answer is;
// - a form with data-confirm asks before it is sent (the pages also work without this: destructive actions
//   that matter have a confirmation page of their own).
(function () {
  "use strict";

  function focusable(element) {
    if (!element.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var region = event.detail.target;
    if (region && region.id && !document.body.contains(region)) {
      region = document.getElementById(region.id); // replaced by hx-swap="outerHTML": the new element
    }
    if (!region || region.id === "messages") return;
    // Django marks a field with errors aria-invalid; a refusal without one (a stale save) has its alert.
    var invalid = region.querySelector("[aria-invalid='true']");
    if (!invalid) {
      var error = region.querySelector(".error, [role='alert']");
      if (error) {
        var field = error.parentElement && error.parentElement.querySelector("input:not([type=hidden]), select, textarea");
        invalid = field || error;
      }
    }
    if (invalid) {
      focusable(invalid);
      return;
    }
    // Focus that survived the swap stays where the user put it (a tab of a tab list, a filter field being
    // typed in): only focus the swap took away – its element replaced – goes to the new part's heading.
    var active = document.activeElement;
    if (active && active !== document.body && document.body.contains(active)) return;
    var heading = region.querySelector("h1, h2, h3");
    if (heading) focusable(heading);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
