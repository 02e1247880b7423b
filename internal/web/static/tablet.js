// tablet.js: the tablet facing the citizen at a counter. The office's
// events refresh the screen (the server decides whether a finished visit
// waits for its rating); a rating screen left untouched goes back to idle
// by itself when the server says (data-left, in ms from the page's load).
// Without JavaScript the page reloads itself (meta refresh in <noscript>).
(function () {
  "use strict";
  var live = window.motcuaLive;
  // The thanks screen: back to idle after a moment.
  var back = document.querySelector("[data-back]");
  if (back) {
    setTimeout(function () { location.replace(back.getAttribute("data-back")); },
      parseInt(back.getAttribute("data-back-ms"), 10) || 6000);
    return;
  }
  var root = document.querySelector("[data-events]");
  var url = root && root.getAttribute("data-events");
  if (!url || !live) { return; }
  var timer = null;
  function schedule() {
    if (timer) { clearTimeout(timer); timer = null; }
    var screen = document.querySelector("[data-left]");
    var left = screen ? parseInt(screen.getAttribute("data-left"), 10) : 0;
    if (left > 0) {
      timer = setTimeout(function () { live.refresh().then(schedule, schedule); }, left + 500);
    }
  }
  live.connect(url, {
    refresh: function () { return live.refresh().then(function (doc) { schedule(); return doc; }); }
  });
  schedule();
})();
