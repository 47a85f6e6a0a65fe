// Officer Health pages work without JavaScript; this file only adds small conveniences.
// Loaded from /static (Content-Security-Policy: script-src 'self'); no inline scripts anywhere.
"use strict";
// Marks that scripts run (under the CSP); the browser tests check it.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  // Focus the first field in error so keyboard and screen-reader users land on it.
  var invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) { invalid.focus(); }
  // Selecting a file shows its name next to the button (the browser's own text is English-only).
  document.querySelectorAll("input[type=file][data-name-target]").forEach(function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-name-target"));
      if (target && input.files.length) { target.textContent = input.files[0].name; }
    });
  });
});
