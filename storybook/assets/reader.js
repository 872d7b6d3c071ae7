/* Leadership Storybook: the home page's filter, and the reader's progress on learning paths.
 *
 * Progressive enhancement: without this script the home page lists every story and a path
 * page lists its steps. With it, the home page filters its cards by theme or moment without
 * leaving the page, and announces how many are shown; story pages note in this browser that
 * they were opened; path pages mark each step opened or answered (an answer saved by the
 * journal, journal.js) and the home page offers to continue where the reader left off.
 *
 * Storage: localStorage only, nothing is sent anywhere. "storybook-progress:<site address>:"
 * holds {opened: [story slugs]}; the journal's "Clear all my answers" removes it.
 */
(function () {
  "use strict";

  var PROGRESS = "storybook-progress:";
  var JOURNAL = "storybook-journal:";

  // The site's address (site-address.js, loaded first).
  var SITE = window.storybookSite.path;

  function sitePath() {
    return SITE + ":";
  }

  function storage() {
    try {
      var store = window.localStorage;
      store.setItem(PROGRESS + "probe", "1");
      store.removeItem(PROGRESS + "probe");
      return store;
    } catch (error) {
      return null;
    }
  }

  function opened(store) {
    try {
      var entry = JSON.parse(store.getItem(PROGRESS + sitePath()) || "null");
      return entry && Array.isArray(entry.opened) ? entry.opened : [];
    } catch (error) {
      return [];
    }
  }

  function answered(store, slug) {
    try {
      var entry = JSON.parse(store.getItem(JOURNAL + sitePath() + slug) || "null");
      return Boolean(entry && Array.isArray(entry.answers) && entry.answers.length);
    } catch (error) {
      return false;
    }
  }

  function markOpened(store, slug) {
    var seen = opened(store);
    if (seen.indexOf(slug) >= 0) return;
    seen.push(slug);
    try {
      store.setItem(PROGRESS + sitePath(), JSON.stringify({ opened: seen }));
    } catch (error) {
      /* storage full: progress is a convenience, the page works without it */
    }
  }

  /* A story's slug from a link to its page: .../stories/<slug>/ or .../stories/<slug>.html */
  function slugOf(link) {
    var match = /\/stories\/([^/]+?)(?:\.html|\/(?:index\.html)?)?$/.exec(
      new URL(link.getAttribute("href"), location.href).pathname
    );
    return match ? decodeURIComponent(match[1]) : null;
  }

  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (content) node.textContent = content;
    return node;
  }

  function state(store, slug) {
    if (answered(store, slug)) return "answered";
    return opened(store).indexOf(slug) >= 0 ? "opened" : "new";
  }

  var STATE_WORDS = { answered: "Answered", opened: "Opened", new: "Not opened yet" };

  /* The path page: each step says whether it was opened or answered, and a line sums up. */
  function showPathProgress(store, path) {
    var steps = Array.prototype.map.call(path.querySelectorAll(":scope > ol > li"), function (item) {
      var link = item.querySelector("a");
      return { item: item, slug: link ? slugOf(link) : null };
    });
    var counts = { answered: 0, opened: 0 };
    steps.forEach(function (step) {
      if (!step.slug) return;
      var now = state(store, step.slug);
      if (now !== "new") counts.opened += 1;
      if (now === "answered") counts.answered += 1;
      var badge = step.item.querySelector(".storybook-step-state");
      if (!badge) {
        badge = element("span", { class: "storybook-step-state" });
        // At the end of the step's first line: after its title and week, before the why.
        var lineEnd = step.item.querySelector("br");
        if (lineEnd) lineEnd.parentNode.insertBefore(badge, lineEnd);
        else (step.item.querySelector("p") || step.item).appendChild(badge);
      }
      badge.setAttribute("data-state", now);
      badge.textContent = " " + STATE_WORDS[now];
    });
    var summary = path.querySelector(".storybook-path__progress");
    if (!summary) {
      summary = element("p", { class: "storybook-path__progress" });
      path.insertBefore(summary, path.firstChild);
    }
    summary.textContent =
      "Your progress: " + counts.opened + " of " + steps.length + " stories opened, " +
      counts.answered + " answered.";
  }

  /* The home page: for each path started and not finished, a link to its next story. */
  function showContinue(store, box) {
    box.textContent = "";
    var cards = document.querySelectorAll(".storybook-path-card[data-path]");
    Array.prototype.forEach.call(cards, function (card) {
      var title = card.querySelector("strong a");
      var links = Array.prototype.slice.call(card.querySelectorAll("ol > li > a"));
      var states = links.map(function (link) {
        var slug = slugOf(link);
        return slug ? state(store, slug) : "new";
      });
      // The first story not yet opened after the furthest one opened, else the first one
      // not yet opened at all.
      var furthest = states.length - 1;
      while (furthest >= 0 && isNew(states[furthest])) furthest -= 1;
      var next = states.indexOf("new", furthest + 1);
      if (next < 0) next = states.indexOf("new");
      if (!title || next < 0 || furthest < 0) return;
      var line = element("p", {});
      line.appendChild(document.createTextNode("Continue where you left off: "));
      line.appendChild(element("a", { href: links[next].href }, links[next].textContent));
      line.appendChild(
        document.createTextNode(
          ", story " + (next + 1) + " of " + links.length + " on " + title.textContent + "."
        )
      );
      box.appendChild(line);
    });
    box.hidden = !box.childNodes.length;
  }

  function isNew(value) {
    return value === "new";
  }

  /* The home page's filter: a labelled select; a status line announces what is shown. */
  function setUpFilter(filter) {
    if (filter.hasAttribute("data-ready")) return;
    var cards = document.querySelectorAll(".storybook-cards .storybook-card");
    if (!cards.length) return;
    var id = "storybook-filter-choice";
    var label = element("label", { for: id }, filter.getAttribute("data-label"));
    var choice = element("select", { id: id });
    choice.appendChild(element("option", { value: "" }, filter.getAttribute("data-all")));
    Array.prototype.forEach.call(filter.querySelectorAll("ul[data-group]"), function (list) {
      var group = element("optgroup", { label: list.getAttribute("data-group") });
      Array.prototype.forEach.call(list.querySelectorAll("li[data-tag]"), function (item) {
        group.appendChild(
          element("option", { value: item.getAttribute("data-tag") }, item.textContent.trim())
        );
      });
      if (group.childNodes.length) choice.appendChild(group);
      list.remove();
    });
    var status = element("p", { class: "storybook-filter__status", role: "status" });
    filter.appendChild(label);
    filter.appendChild(choice);
    filter.appendChild(status);
    filter.setAttribute("data-ready", "");
    choice.addEventListener("change", function () {
      var tag = choice.value;
      var shown = 0;
      Array.prototype.forEach.call(cards, function (card) {
        var tags = " " + card.getAttribute("data-tags") + " ";
        var match = !tag || tags.indexOf(" " + tag + " ") >= 0;
        card.hidden = !match;
        if (match) shown += 1;
      });
      var name = choice.options[choice.selectedIndex].textContent;
      var message = tag
        ? "Showing " + shown + " of " + cards.length + " stories: " + name + "."
        : "Showing all " + cards.length + " stories.";
      if (tag && document.querySelector(".storybook-pager")) {
        message += " Only this page's stories are shown; the page of " + name +
          ", under Themes, lists them all.";
      }
      status.textContent = message;
    });
  }

  function start() {
    var store = storage();
    var section = document.querySelector(".storybook-reflection[data-story]");
    if (store && section) markOpened(store, section.getAttribute("data-story"));
    Array.prototype.forEach.call(document.querySelectorAll(".storybook-filter"), setUpFilter);
    if (!store) return;
    Array.prototype.forEach.call(document.querySelectorAll(".storybook-path[data-path]"), function (path) {
      showPathProgress(store, path);
    });
    var box = document.querySelector(".storybook-continue");
    if (box) showContinue(store, box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  }
})();
