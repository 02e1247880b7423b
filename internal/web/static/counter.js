// counter.js: the counter console. Keeps the waiting list current from the
// office's events; the actions stay plain forms, which work without it.
(function () {
  "use strict";
  // A step that cannot be undone asks first. Without JavaScript the form
  // leads to a confirmation page; here a dialog confirms it in place.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { e.preventDefault(); return; }
      var ok = document.createElement("input");
      ok.type = "hidden"; ok.name = "confirm"; ok.value = "1";
      form.appendChild(ok);
    });
  });
  var live = window.motcuaLive;
  var root = document.querySelector("[data-events]");
  var url = root && root.getAttribute("data-events");
  if (!url || !live) { return; }
  var statusEl = document.getElementById("c-status");
  live.connect(url, {
    status: function (ok) { if (statusEl) { statusEl.hidden = ok; } }
  });
  // One click, one call: a double click on "call next" must not call two.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (form.getAttribute("data-sent")) { e.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
    });
  });
})();
