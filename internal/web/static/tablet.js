// tablet.js: the tablet facing the citizen at a counter. The office's
// events refresh the screen (the server decides whether a finished visit
// waits for its rating); a rating screen left untouched goes back to idle
// by itself at the time the server gave (data-until, Unix ms).
(function () {
  "use strict";
  var live = window.motcuaLive;
  var root = document.querySelector("[data-events]");
  var url = root && root.getAttribute("data-events");
  if (!url || !live) { return; }
  var timer = null;
  function schedule() {
    if (timer) { clearTimeout(timer); timer = null; }
    var screen = document.querySelector("[data-until]");
    var until = screen ? parseInt(screen.getAttribute("data-until"), 10) : 0;
    if (until > 0) {
      timer = setTimeout(function () { live.refresh().then(schedule, schedule); }, Math.max(until - Date.now(), 0) + 500);
    }
  }
  live.connect(url, {
    refresh: function () { return live.refresh().then(function (doc) { schedule(); return doc; }); }
  });
  schedule();
})();
