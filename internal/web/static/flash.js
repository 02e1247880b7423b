// flash.js: the confirmation shown after a change (a redirect's page) is
// focused, so that a screen reader reads it at once; without JavaScript it
// is still there at the top of the page, in a status region.
(function () {
  "use strict";
  var f = document.querySelector("[data-flash]");
  if (f) { f.focus(); }
})();
