// live.js keeps parts of a server-rendered page current. The server stays the
// only place that renders text (in the reader's language): on an event the
// page fetches itself again and swaps the marked regions. The event stream is
// only a trigger, so a lost event costs nothing but a moment's delay, and a
// reconnect (after a server restart) simply refetches everything.
(function () {
  "use strict";

  var known = ["ticket.issued", "ticket.called", "ticket.skipped",
    "ticket.transferred", "ticket.serving", "ticket.done", "resync"];

  // refresh fetches the current page and replaces each element that carries
  // data-live="name" with its fresh copy. It resolves with the fresh document.
  // A page reached by a form post names the URL to reload in data-live-url.
  function refresh() {
    var from = document.querySelector("[data-live-url]");
    var url = from ? from.getAttribute("data-live-url") : location.href;
    return fetch(url, {credentials: "same-origin", cache: "no-store",
      headers: {"Accept": "text/html"}})
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (old) {
          var fresh = doc.querySelector('[data-live="' + old.getAttribute("data-live") + '"]');
          if (fresh) { old.replaceWith(document.importNode(fresh, true)); }
        });
        return doc;
      });
  }

  // connect follows an event stream and keeps following it: EventSource
  // retries by itself after a dropped connection, but gives up for good when
  // the server answers with an error (as during a restart), so a closed
  // stream is reopened here with a growing pause.
  function connect(url, on) {
    var es, wait = 1000, pending = null;
    // The stream's state is also on <html data-stream>, for styles and tests.
    var status = function (ok) {
      document.documentElement.setAttribute("data-stream", ok ? "open" : "closed");
      if (on.status) { on.status(ok); }
    };

    // Bursts of events (a queue of people at the kiosk) cost one fetch.
    function soon(ev) {
      if (on.event) { on.event(ev); }
      if (pending) { return; }
      pending = setTimeout(function () {
        pending = null;
        // A failed reload is retried with the next event or reconnect.
        (on.refresh || refresh)().catch(function () {});
      }, 250);
    }

    function open() {
      es = new EventSource(url);
      es.onopen = function () {
        wait = 1000;
        status(true);
        // The first open and every reopen: whatever happened while we were
        // away is in the store, so resynchronise from it.
        soon({type: "resync", data: {}});
      };
      es.onerror = function () {
        status(false);
        if (es.readyState === EventSource.CLOSED) {
          setTimeout(open, wait);
          wait = Math.min(wait * 2, 30000);
        }
      };
      var handle = function (e) {
        var data = {};
        try { data = JSON.parse(e.data || "{}") || {}; } catch (err) { data = {}; }
        var type = e.type === "message" ? (data.type || "message") : e.type;
        // Either the event's data alone, or the whole {type, data} envelope.
        if (data.type && data.data && typeof data.data === "object") { data = data.data; }
        soon({type: type, data: data});
      };
      es.onmessage = handle;
      known.forEach(function (name) { es.addEventListener(name, handle); });
    }

    if (!window.EventSource) {
      // Old browsers: poll.
      setInterval(function () { soon({type: "poll", data: {}}); }, 15000);
      return;
    }
    open();
  }

  // Tone plays short beeps through WebAudio, with no sound file. Browsers
  // allow sound only after a tap, so unlock() must run inside a tap handler.
  function Tone() { this.ctx = null; }
  Tone.prototype.unlock = function () {
    var AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) { return false; }
    if (!this.ctx) { this.ctx = new AC(); }
    if (this.ctx.state === "suspended") { this.ctx.resume(); }
    return true;
  };
  Tone.prototype.ready = function () { return !!this.ctx && this.ctx.state === "running"; };
  // play sounds notes [[frequency Hz, start s, length s], …] and resolves
  // when the last one ends.
  Tone.prototype.play = function (notes) {
    var ctx = this.ctx;
    if (!this.ready()) { return Promise.resolve(); }
    var t0 = ctx.currentTime + 0.05, end = 0;
    notes.forEach(function (n) {
      var osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = n[0];
      gain.gain.setValueAtTime(0.0001, t0 + n[1]);
      gain.gain.exponentialRampToValueAtTime(0.6, t0 + n[1] + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n[1] + n[2]);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + n[1]);
      osc.stop(t0 + n[1] + n[2] + 0.05);
      end = Math.max(end, n[1] + n[2]);
    });
    return new Promise(function (done) { setTimeout(done, (end + 0.15) * 1000); });
  };
  // chime is the classic two-note "ding-dong" of a calling system.
  Tone.prototype.chime = function () { return this.play([[880, 0, 0.6], [660, 0.45, 0.9]]); };

  window.motcuaLive = {refresh: refresh, connect: connect, Tone: Tone};
})();
