/* Leadership Storybook: the workshop console (facilitator edition).
 *
 * Over a page that is the run-of-show without it, this script marks the session the clock
 * says the room should be in ("Now"), adds a "Done" button to each session and says how far
 * ahead or behind the room is: the first session not marked done is where the room is; if the
 * clock is past its planned end the room is behind, if the clock is before its planned start
 * the room is ahead. Sessions marked done are kept in this browser's localStorage, under
 * "storybook-console:<site address>:<workshop>", and nowhere else: no network request.
 */
(function () {
  "use strict";

  var PREFIX = "storybook-console:";
  var TICK_MS = 10000;

  // The site's address (site-address.js, loaded first): the same on every page, after
  // Material's instant navigation too.
  function siteKey(slug) {
    return PREFIX + window.storybookSite.path + ":" + slug;
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function readDone(key) {
    var store = storage();
    try {
      var list = JSON.parse((store && store.getItem(key)) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (error) {
      return [];
    }
  }

  function writeDone(key, done) {
    var store = storage();
    if (!store) return;
    try {
      if (done.length) store.setItem(key, JSON.stringify(done));
      else store.removeItem(key);
    } catch (error) {
      /* A full store keeps the marks for this visit only. */
    }
  }

  function clockText(minutes) {
    var day = ((minutes % 1440) + 1440) % 1440;
    var hours = Math.floor(day / 60);
    var rest = day % 60;
    return (hours < 10 ? "0" : "") + hours + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function minutesText(count) {
    return count + (count === 1 ? " minute" : " minutes");
  }

  /* Minutes since midnight at the start of the workshop's day, in the browser's time zone. */
  function minutesIntoDay(isoDate) {
    var parts = isoDate.split("-").map(Number);
    var midnight = new Date(parts[0], parts[1] - 1, parts[2]);
    return (Date.now() - midnight.getTime()) / 60000;
  }

  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (content) node.textContent = content;
    return node;
  }

  /* Where the room is against the plan, in words, from the clock and the sessions done. */
  function pace(sessions, done, now) {
    var next = -1;
    for (var index = 0; index < sessions.length; index++) {
      if (done.indexOf(index) < 0) {
        next = index;
        break;
      }
    }
    var last = sessions[sessions.length - 1];
    if (next < 0) {
      return now < last.ends
        ? "Every session is done, " + minutesText(Math.max(1, Math.round(last.ends - now))) + " ahead."
        : "Every session is done.";
    }
    var session = sessions[next];
    if (next === 0 && now < session.begins) return "On time: nothing is done yet.";
    if (now > session.ends) {
      var late = Math.max(1, Math.round(now - session.ends));
      return minutesText(late) + " behind: " + session.title + " should have ended at " +
        clockText(session.ends) + ".";
    }
    if (now < session.begins) {
      return minutesText(Math.max(1, Math.round(session.begins - now))) + " ahead: " + session.title +
        " is planned for " + clockText(session.begins) + ".";
    }
    return "On time.";
  }

  function setUp(root) {
    if (root.hasAttribute("data-console-ready")) return;
    root.setAttribute("data-console-ready", "");
    var key = siteKey(root.getAttribute("data-workshop"));
    var isoDate = root.getAttribute("data-date");
    var begins = Number(root.getAttribute("data-begins"));
    var blocks = Array.prototype.slice.call(root.querySelectorAll(".storybook-console__session"));
    var sessions = blocks.map(function (block) {
      var heading = block.querySelector("h2");
      var clock = heading && heading.querySelector(".storybook-clock");
      var title = heading ? heading.textContent : "";
      if (clock) title = title.replace(clock.textContent, "");
      return {
        block: block,
        begins: Number(block.getAttribute("data-begins")),
        ends: Number(block.getAttribute("data-ends")),
        title: title.replace("¶", "").trim(),
      };
    });
    if (!sessions.length) return;
    var done = readDone(key).filter(function (index) {
      return index >= 0 && index < sessions.length;
    });

    var status = element("div", { class: "storybook-console__status" });
    var now = element("p", { class: "storybook-console__now" });
    var where = element("p", { class: "storybook-console__pace", role: "status" });
    status.appendChild(now);
    status.appendChild(where);
    root.insertBefore(status, root.firstChild);

    var buttons = sessions.map(function (session, index) {
      var button = element(
        "button",
        { type: "button", class: "md-button storybook-console__done", "aria-pressed": "false" },
        "Done"
      );
      button.setAttribute("aria-label", "Done: " + session.title);
      button.addEventListener("click", function () {
        var at = done.indexOf(index);
        if (at < 0) done.push(index);
        else done.splice(at, 1);
        writeDone(key, done);
        update();
      });
      var badge = element("span", { class: "storybook-console__badge", hidden: "" }, "Now");
      var bar = element("p", { class: "storybook-console__actions" });
      bar.appendChild(button);
      bar.appendChild(badge);
      session.block.insertBefore(bar, session.block.querySelector("h2").nextSibling);
      session.badge = badge;
      return button;
    });

    function update() {
      if (!document.body.contains(root)) {
        /* Material's instant navigation replaced the page: stop following the clock. */
        window.clearInterval(timer);
        document.removeEventListener("visibilitychange", update);
        return;
      }
      var minutes = minutesIntoDay(isoDate);
      var current = -1;
      sessions.forEach(function (session, index) {
        var isNow = minutes >= session.begins && minutes < session.ends;
        if (isNow) current = index;
        session.block.classList.toggle("storybook-console__session--now", isNow);
        session.block.classList.toggle("storybook-console__session--done", done.indexOf(index) >= 0);
        if (isNow) session.block.setAttribute("aria-current", "time");
        else session.block.removeAttribute("aria-current");
        session.badge.hidden = !isNow;
        buttons[index].setAttribute("aria-pressed", String(done.indexOf(index) >= 0));
      });
      var last = sessions[sessions.length - 1];
      var text;
      if (minutes < 0) text = "The workshop is on another day: it starts at " + clockText(begins) + ".";
      else if (minutes >= 1440 + last.ends) text = "The workshop's day is over.";
      else if (current >= 0) {
        var left = Math.ceil(sessions[current].ends - minutes);
        text = "Now " + clockText(Math.floor(minutes)) + ": " + sessions[current].title + ", " +
          minutesText(left) + " left.";
      } else if (minutes < begins) {
        text = "Now " + clockText(Math.floor(minutes)) + ": the workshop starts at " +
          clockText(begins) + ".";
      } else text = "Now " + clockText(Math.floor(minutes)) + ": the planned sessions are over.";
      if (now.textContent !== text) now.textContent = text;
      var onTheDay = minutes >= 0 && minutes < 1440 + last.ends;
      var said = onTheDay ? pace(sessions, done, minutes) : "";
      if (where.textContent !== said) where.textContent = said;
    }

    var timer = window.setInterval(update, TICK_MS);
    document.addEventListener("visibilitychange", update);
    update();
  }

  function start() {
    var roots = document.querySelectorAll(".storybook-console[data-workshop]");
    Array.prototype.forEach.call(roots, setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  }
})();
