/* Leadership Storybook: the presenter console (facilitator edition, console/<slug>/).
 *
 * "Open projector view" opens the learner edition's projector view of the story in a second
 * window, and the console drives it with postMessage: next, previous, reveal, question N,
 * blank. Only commands and numbers are sent, never text from this page, and only to the
 * projector's exact origin (data-projector); only that origin's state reports are read. The
 * projector answers with its slide titles, so the console can say what is on the wall now
 * and what comes next.
 *
 * The clocks count down the whole story (suggested_minutes) and each timed segment of the
 * discussion plan; past zero they say "over time", as the run-of-show does. They survive a
 * reload (sessionStorage, in this browser only): the room reloads after every save.
 */
(function () {
  "use strict";

  var WINDOW_NAME = "storybook-projector";
  var projector = null;
  var projectorState = null;
  var timer = null;

  function root() {
    return document.querySelector(".storybook-console");
  }

  // The projector's address, as the storybook wrote it: the room's other server, over
  // http(s) only (never javascript:, data: or blob:, which window.open would run here).
  function projectorUrl() {
    var element = root();
    var written = element ? element.getAttribute("data-projector") || "" : "";
    try {
      return /^https?:$/.test(new URL(written, location.href).protocol) ? written : "";
    } catch (error) {
      return "";
    }
  }

  function projectorOrigin() {
    try {
      return new URL(projectorUrl(), location.href).origin;
    } catch (error) {
      return "";
    }
  }

  function send(command, number) {
    if (!projector || projector.closed) {
      status("The projector view is not open: press Open projector view.");
      return;
    }
    var message = { type: "storybook-console", command: command };
    if (typeof number === "number") message.number = number;
    projector.postMessage(message, projectorOrigin());
  }

  function open() {
    if (!projectorUrl()) return;
    // A window of its own (not a tab), to drag onto the projector's screen.
    projector = window.open(projectorUrl(), WINDOW_NAME, "popup,width=1280,height=720");
    if (!projector) status("The browser blocked the projector window: allow pop-ups for this page.");
    else status("Projector view opened: drag it to the second screen and press F there for full screen.");
  }

  function status(text) {
    var element = document.querySelector(".storybook-console-status");
    if (element) element.textContent = text;
  }

  function describe(slide) {
    if (!slide) return "the end";
    var title = slide.title;
    if (slide.kind === "part" && slide.held && !slide.revealed) return title + " (held back: reveal it to show it)";
    return title;
  }

  function nextSlide(state) {
    for (var index = state.current + 1; index < state.slides.length; index++) {
      var slide = state.slides[index];
      if (!slide.held || slide.revealed) return slide;
    }
    return null;
  }

  function showProjectorState() {
    var state = projectorState;
    if (!state || !root()) return;
    var now = document.querySelector(".storybook-now");
    var next = document.querySelector(".storybook-next");
    var current = state.slides[state.current];
    if (now) now.textContent = (state.blank ? "Blank screen (was: " + describe(current) + ")" : describe(current));
    if (next) next.textContent = describe(nextSlide(state));
    var questions = document.querySelector(".storybook-questions-buttons");
    if (questions && !questions.childElementCount) {
      state.slides.forEach(function (slide) {
        if (slide.kind !== "question") return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button";
        button.setAttribute("data-command", "question");
        button.setAttribute("data-number", String(slide.question));
        // A question for after the reveal shows only once its part is revealed.
        button.textContent = "Show question " + slide.question + (slide.held ? " (after the reveal)" : "");
        questions.appendChild(button);
      });
    }
    status("The projector view is open and follows this console.");
  }

  window.addEventListener("message", function (event) {
    if (!root() || event.origin !== projectorOrigin()) return;
    if (projector && event.source !== projector) return;
    var data = event.data;
    if (!data || data.type !== "storybook-projector" || !Array.isArray(data.slides)) return;
    // After this console reloads, the projector it opened is still there: take it back.
    projector = event.source;
    projectorState = data;
    showProjectorState();
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-command], [data-clock]") : null;
    if (!target || !root() || !root().contains(target)) return;
    var command = target.getAttribute("data-command");
    var clock = target.getAttribute("data-clock");
    if (command === "open") open();
    else if (command === "question") send("question", Number(target.getAttribute("data-number")));
    else if (command) send(command);
    else if (clock) clockCommand(clock);
  });

  document.addEventListener("keydown", function (event) {
    if (!root() || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) return;
    var key = event.key;
    // Space is "next" even on a focused button, as in reveal.js: after "Open projector view"
    // the focus stays on that button. Enter still presses a button.
    if (key === "ArrowRight" || key === " ") send("next");
    else if (key === "ArrowLeft") send("previous");
    else if (key === "b" || key === "B") send("blank");
    else return;
    event.preventDefault();
    event.stopPropagation();
  }, true);

  /* --- The clocks --- */

  function clockKey() {
    return "storybook-console-clock:" + (root().getAttribute("data-story") || location.pathname);
  }

  function readClock() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(clockKey()) || "null");
      if (saved && typeof saved.started === "number") return saved;
    } catch (error) {
      /* no storage, or a damaged entry: the clock is not running */
    }
    return null;
  }

  function writeClock(clock) {
    try {
      if (clock) window.sessionStorage.setItem(clockKey(), JSON.stringify(clock));
      else window.sessionStorage.removeItem(clockKey());
    } catch (error) {
      /* no storage: the clock still runs until the page reloads */
    }
    memoryClock = clock;
  }

  var memoryClock = null;

  function clock() {
    return readClock() || memoryClock;
  }

  function clockCommand(command) {
    var now = Date.now();
    var current = clock();
    if (command === "start" && !current) writeClock({ started: now, segment: 0, segmentStarted: now });
    else if (command === "next-segment" && current) {
      current.segment += 1;
      current.segmentStarted = now;
      writeClock(current);
    } else if (command === "reset") writeClock(null);
    tick();
  }

  function countdown(minutes, since, now) {
    var left = Math.round((minutes * 60000 - (now - since)) / 1000);
    if (left >= 0) return { over: false, text: clockText(left) + " left" };
    return { over: true, text: "over time by " + clockText(-left) };
  }

  function clockText(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var element = root();
    if (!element) return;
    var running = clock();
    var now = Date.now();
    element.querySelectorAll(".storybook-countdown").forEach(function (span) {
      var minutes = Number(span.getAttribute("data-minutes") || 0);
      var segment = span.getAttribute("data-segment");
      var text = "not started";
      var over = false;
      var item = span.closest("li");
      if (running && segment === "story") {
        if (minutes) {
          var story = countdown(minutes, running.started, now);
          text = story.text;
          over = story.over;
        } else text = clockText(Math.round((now - running.started) / 1000)) + " so far";
      } else if (running) {
        var index = Number(segment);
        if (index < running.segment) text = "done";
        else if (index === running.segment) {
          var part = countdown(minutes, running.segmentStarted, now);
          text = "now: " + part.text;
          over = part.over;
        } else text = "to come";
        if (item) item.classList.toggle("storybook-segment-now", index === running.segment);
      } else if (item) item.classList.remove("storybook-segment-now");
      span.textContent = text;
      span.classList.toggle("storybook-over-time", over);
    });
  }

  function start() {
    if (!root()) return;
    document.documentElement.classList.add("storybook-js");
    if (projectorState) showProjectorState();
    tick();
    if (timer === null) timer = window.setInterval(tick, 1000);
  }

  document.documentElement.classList.add("storybook-js");
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  /* Material replaces the page content on instant navigation and announces it on document$. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  }
})();
