// kiosk.js: the touchscreen. Goes back to the start after a short idle time
// (the next visitor must not find someone else's ticket or language), prints
// the ticket, and stops a double tap from taking two numbers. Everything
// works without it: the forms are plain, and the ticket page has a meta
// refresh as a fallback.
(function () {
  "use strict";
  var root = document.querySelector("[data-idle-url]");
  if (root) {
    var home = root.getAttribute("data-idle-url");
    var seconds = parseInt(root.getAttribute("data-idle-seconds") || "30", 10);
    var timer = null;
    var reset = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { location.replace(home); }, seconds * 1000);
    };
    ["pointerdown", "keydown", "touchstart", "scroll"].forEach(function (name) {
      window.addEventListener(name, reset, {passive: true});
    });
    reset();
  }

  // One tap, one ticket: a second submit of the same form is dropped.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (form.getAttribute("data-sent")) { e.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      form.setAttribute("aria-busy", "true");
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  // A kiosk set up with a receipt printer (and Chromium's --kiosk-printing)
  // prints each ticket as it appears.
  if (document.querySelector("[data-autoprint]")) {
    setTimeout(function () { window.print(); }, 300);
  }
})();
