// The live board's only script (served from our own host: the CSP forbids inline scripts).
// It listens to the board's Server-Sent Events, swaps in the parts of the board a change altered
// (rendered and escaped by the server; each replaces the element of its id), counts the timer
// down, and pages through more than 20 items.
(function () {
  "use strict";
  var PAGE_SIZE = 20, PAGE_SECONDS = 10, SILENCE_MS = 40000, RETRY_MS = 2000;
  var board = document.getElementById("board");
  var status = document.getElementById("connection");
  var url = document.body.getAttribute("data-events");
  var version = document.body.getAttribute("data-version"), RELOADED = "board-reloaded-at";
  var source = null, offset = 0, lastHeard = Date.now(), page = 0, itemCount = -1, gone = false;

  function say(text) { status.textContent = text; }

  function connect() {
    if (source) { source.close(); }
    lastHeard = Date.now();
    source = new EventSource(url);
    source.addEventListener("clock", function (event) {
      offset = Number(event.data) - Date.now();
      lastHeard = Date.now();
      say("");
      tick();
    });
    source.addEventListener("version", function (event) {
      // The bot was upgraded while this page was open: load the page it serves now (at most
      // once a minute, in case two versions serve side by side during a rolling restart).
      if (event.data !== version && Date.now() - Number(sessionStorage.getItem(RELOADED) || 0) > 60000) {
        sessionStorage.setItem(RELOADED, String(Date.now()));
        location.reload();
      }
    });
    source.addEventListener("parts", function (event) {
      lastHeard = Date.now();
      var parts = JSON.parse(event.data);
      for (var name in parts) {
        var part = document.getElementById("part-" + name);
        if (part) { part.outerHTML = parts[name]; }
      }
      arrange();
      tick();
    });
    source.addEventListener("gone", function () {
      gone = true;
      source.close();
      say("This board link no longer works: ask the facilitator for a new one.");
    });
    source.onerror = function () {
      if (gone) { return; }
      say("Reconnecting…");
      // The browser retries by itself after a network error; after a refused answer it stops.
      if (source.readyState === EventSource.CLOSED) { setTimeout(connect, RETRY_MS); }
    };
  }

  function tick() {
    var timers = board.querySelectorAll(".timer[data-deadline]");
    for (var i = 0; i < timers.length; i++) {
      var left = Math.max(0, Number(timers[i].getAttribute("data-deadline")) - (Date.now() + offset));
      var seconds = Math.ceil(left / 1000);
      var text = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      timers[i].querySelector(".timer-left").textContent = left > 0 ? text : "0:00";
    }
  }

  function arrange() {
    var items = board.querySelectorAll(".items > .item");
    var pager = board.querySelector(".pager");
    var pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
    if (items.length > itemCount && itemCount >= 0) { page = pages - 1; }  // show what just arrived
    itemCount = items.length;
    page = Math.min(page, pages - 1);
    for (var i = 0; i < items.length; i++) {
      items[i].hidden = Math.floor(i / PAGE_SIZE) !== page;
    }
    if (pager) {
      pager.hidden = pages < 2;
      pager.textContent = "Page " + (page + 1) + " of " + pages + " (turns every " + PAGE_SECONDS + " s)";
    }
  }

  setInterval(function () {
    var items = board.querySelectorAll(".items > .item");
    var pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
    if (pages > 1) { page = (page + 1) % pages; arrange(); }
  }, PAGE_SECONDS * 1000);
  setInterval(tick, 1000);
  // The server sends a comment every 15 s; a connection silent for longer is dead: start again.
  setInterval(function () {
    if (!gone && Date.now() - lastHeard > SILENCE_MS) { say("Reconnecting…"); connect(); }
  }, 5000);

  arrange();
  tick();
  connect();
}());
