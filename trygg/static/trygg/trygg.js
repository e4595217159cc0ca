/* Trygg: small page helpers that the pages work without. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a failed submit, move focus to the error summary so it is read out first.
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
    // Filters are folded on small screens, open on wide ones.
    if (window.matchMedia("(min-width: 48rem)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
        details.open = true;
      });
    }
  });
})();
