// The print button needs JavaScript, so it starts hidden; without it the
// hint beside it says how to use the browser's own Print command.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});
