// pick.js: the reception form's list of procedures narrows as the clerk
// types, words matched with or without diacritics, as the server's search
// does (the form still works without it: it is a GET search).
(function () {
  "use strict";
  var box = document.getElementById("f-procedure_code");
  var list = document.getElementById("pick-list");
  var count = document.getElementById("pick-count");
  if (!box || !list) { return; }
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  }
  var items = Array.prototype.map.call(list.querySelectorAll("[data-pick]"), function (li) {
    return { li: li, text: " " + fold(li.getAttribute("data-pick")) };
  });
  var template = count ? count.getAttribute("data-template") : null;
  box.addEventListener("input", function () {
    var words = fold(box.value).split(" ").filter(Boolean);
    var shown = 0;
    items.forEach(function (it) {
      var ok = words.every(function (w) { return it.text.indexOf(" " + w) >= 0; });
      it.li.hidden = !ok;
      if (ok) { shown++; }
    });
    list.querySelectorAll("ul.pick").forEach(function (ul) {
      var any = ul.querySelector("li:not([hidden])") !== null;
      ul.hidden = !any;
      var h = ul.previousElementSibling;
      if (h && h.classList.contains("pick-field")) { h.hidden = !any; }
    });
    if (count && template) { count.textContent = template.replace("#", String(shown)); }
  });
})();
