// display.js: the hall display. Follows the office's events, redraws the
// board from the server, and announces each call with a chime and, where the
// browser has a Vietnamese voice, a spoken call. Without it the page still
// refreshes itself every few seconds (meta refresh in <noscript>).
(function () {
  "use strict";
  var live = window.motcuaLive;
  var root = document.querySelector("[data-events]");
  if (!root || !live) { return; }
  var say = root.getAttribute("data-say") || "";
  var tone = new live.Tone();
  var statusEl = document.getElementById("d-status");
  var soundBtn = document.getElementById("d-sound");

  // The clock in the bar, in Vietnam's time whatever the TV's zone.
  var clock = document.getElementById("d-clock");
  if (clock && window.Intl) {
    var fmt = new Intl.DateTimeFormat("vi-VN", {hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh"});
    var tick = function () { clock.textContent = fmt.format(new Date()); };
    tick();
    setInterval(tick, 10000);
  }

  // Browsers play sound only after a tap: the button unlocks it, once per
  // start of the display. Kiosk browsers started with
  // --autoplay-policy=no-user-gesture-required need no tap.
  function soundReady() {
    if (soundBtn) { soundBtn.hidden = tone.ready(); }
  }
  if (soundBtn) {
    soundBtn.hidden = false;
    soundBtn.addEventListener("click", function () {
      tone.unlock();
      if (window.speechSynthesis) { window.speechSynthesis.getVoices(); }
      setTimeout(soundReady, 200);
    });
  }
  tone.unlock();
  setTimeout(soundReady, 300);

  function vietVoice() {
    if (!window.speechSynthesis) { return null; }
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^vi\b/i.test(voices[i].lang)) { return voices[i]; }
    }
    return null;
  }

  // spell reads a ticket number one character at a time: "A012" is called
  // "A, không, một, hai", as people expect, not "A mười hai".
  function spell(number) { return String(number).split("").join(" "); }

  function speak(text) {
    var voice = vietVoice();
    if (!voice || !text) { return Promise.resolve(); }
    return new Promise(function (done) {
      // Never let one failed or stuck call block the calls after it.
      setTimeout(done, 12000);
      try {
        var u = new SpeechSynthesisUtterance(text);
        u.lang = voice.lang;
        u.rate = 0.9;
        u.onend = u.onerror = function () { done(); };
        try { u.voice = voice; } catch (e) { /* the lang alone picks a voice */ }
        window.speechSynthesis.speak(u);
      } catch (e) {
        done();
      }
    });
  }

  // Calls are announced one after another, never over each other.
  var queue = Promise.resolve();
  function announce(number, counter) {
    var text = say.replace("{number}", spell(number)).replace("{counter}", counter);
    queue = queue.then(function () { return tone.chime(); })
      .catch(function () {})
      .then(function () { return speak(text); });
  }

  function highlight(counterID) {
    var el = document.querySelector('[data-counter="' + counterID + '"]');
    if (el) { el.classList.add("d-fresh"); }
  }

  var lastCalled = null;
  live.connect(root.getAttribute("data-events"), {
    status: function (ok) { if (statusEl) { statusEl.hidden = ok; } },
    event: function (ev) {
      if (ev.type === "ticket.called") {
        lastCalled = ev.data;
        announce(ev.data.number, ev.data.counter || "");
      }
    },
    refresh: function () {
      return live.refresh().then(function () {
        if (lastCalled) { highlight(lastCalled.counter_id); lastCalled = null; }
      });
    }
  });
})();
