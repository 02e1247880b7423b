// ticket.js: the ticket on the phone. Follows the office's events and
// refreshes the ticket's card; when the number is called it beeps (once the
// visitor has allowed sound with a tap) and vibrates. Without it the page
// refreshes itself (meta refresh in <noscript>).
(function () {
  "use strict";
  var live = window.motcuaLive;
  var root = document.querySelector("[data-events]");
  var url = root && root.getAttribute("data-events");
  if (!url || !live) { return; }
  var tone = new live.Tone();
  var btn = document.getElementById("t-alert");
  var note = document.getElementById("t-alert-on");
  var title = document.title;

  function state() {
    var card = document.querySelector("[data-status]");
    return card ? card.getAttribute("data-status") : "";
  }
  var last = state();

  if (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      tone.unlock();
      // A tap also lets the page vibrate later: try a short buzz now.
      if (navigator.vibrate) { navigator.vibrate(50); }
      btn.hidden = true;
      if (note) { note.hidden = false; }
    });
  }

  function alertCalled() {
    tone.play([[988, 0, 0.35], [988, 0.5, 0.35], [1319, 1.0, 0.8]]);
    if (navigator.vibrate) { navigator.vibrate([400, 200, 400, 200, 800]); }
    document.title = "\u25B6 " + title;
  }

  live.connect(url, {
    refresh: function () {
      return live.refresh().then(function () {
        var now = state();
        if (now === "called" && last !== "called") { alertCalled(); }
        // Once the number was called (or the visit ended) there is nothing
        // left to be told about: the offer and its note go.
        if (now !== "" && now !== "waiting" && now !== "transferred") {
          if (btn) { btn.hidden = true; btn.remove(); btn = null; }
          if (note) { note.hidden = true; }
        }
        if (now !== "called") { document.title = title; }
        last = now;
      });
    }
  });
})();
