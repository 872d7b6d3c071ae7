/* Leadership Storybook: a private reflection journal.
 *
 * Under each reflection question of a story page, a box for the reader's answer. Answers are
 * kept in this browser's localStorage and nowhere else: this script makes no network request.
 * They survive a reload, can be exported as one Markdown file ("my reflections", grouped by
 * story and question) and can be cleared with one button, for shared computers.
 *
 * Storage: one entry per story, under "storybook-journal:<site address>:<story slug>", holding
 * {title, answers: [{question, answer}]}. An answer whose question has since been
 * reworded stays stored and exported: nothing a reader wrote is dropped by a site update.
 */
(function () {
  "use strict";

  var PREFIX = "storybook-journal:";
  // reader.js keeps which stories were opened under this prefix; clearing clears it too.
  var PROGRESS_PREFIX = "storybook-progress:";
  var counter = 0;

  // The site's address (site-address.js, loaded first).
  var SITE = window.storybookSite.path;

  function siteKey(prefix) {
    return (prefix || PREFIX) + SITE + ":";
  }

  function storage() {
    try {
      var store = window.localStorage;
      var probe = PREFIX + "probe";
      store.setItem(probe, probe);
      store.removeItem(probe);
      return store;
    } catch (error) {
      return null;
    }
  }

  function read(store, key) {
    try {
      var entry = JSON.parse(store.getItem(key) || "null");
      return entry && Array.isArray(entry.answers) ? entry : null;
    } catch (error) {
      return null;
    }
  }

  function journalKeys(store) {
    var keys = [];
    var prefix = siteKey();
    for (var index = 0; index < store.length; index++) {
      var key = store.key(index);
      if (key && key.indexOf(prefix) === 0) keys.push(key);
    }
    return keys;
  }

  function text(element) {
    return element.textContent.replace(/\s+/g, " ").trim();
  }

  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (content) node.textContent = content;
    return node;
  }

  /* Wrap a question's own text so the answer box can point at it, then add the box. */
  function addAnswerBox(item) {
    counter += 1;
    var questionId = "storybook-question-" + counter;
    var boxId = "storybook-answer-" + counter;
    var question = element("span", { id: questionId, class: "storybook-question" });
    while (item.firstChild) question.appendChild(item.firstChild);
    item.appendChild(question);
    var wrapper = element("div", { class: "storybook-answer" });
    var label = element("label", { for: boxId, class: "storybook-answer__label" }, "Your answer");
    wrapper.appendChild(label);
    var box = element("textarea", {
      id: boxId,
      class: "storybook-answer__box",
      rows: "4",
      "aria-describedby": questionId,
    });
    wrapper.appendChild(box);
    item.appendChild(wrapper);
    return { question: text(question), box: box };
  }

  function fitToContent(box) {
    box.style.height = "auto";
    box.style.height = box.scrollHeight + 2 + "px";
  }

  function storedEntries(store) {
    return journalKeys(store)
      .map(function (key) {
        return read(store, key);
      })
      .filter(Boolean);
  }

  /* One Markdown file: a heading per story, a heading per question, the answer under it. */
  function toMarkdown(entries) {
    var site = document.querySelector(".md-header__topic .md-ellipsis");
    var from = site ? " from " + text(site) : "";
    var day = new Date().toISOString().slice(0, 10);
    var lines = ["# My reflections", "", "Exported" + from + " on " + day + ".", ""];
    entries = entries
      .map(function (entry) {
        var answered = entry.answers.filter(function (item) {
          return String(item.answer).trim();
        });
        return { title: String(entry.title), answers: answered };
      })
      .filter(function (entry) {
        return entry.answers.length;
      })
      .sort(function (a, b) {
        return a.title.localeCompare(b.title);
      });
    if (!entries.length) lines.push("No answers yet.", "");
    entries.forEach(function (entry) {
      lines.push("## " + entry.title, "");
      entry.answers.forEach(function (item) {
        lines.push("### " + item.question, "", String(item.answer).trim(), "");
      });
    });
    return lines.join("\n");
  }

  function download(name, content) {
    var url = URL.createObjectURL(new Blob([content], { type: "text/markdown;charset=utf-8" }));
    var link = element("a", { href: url, download: name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
  }

  function setUp(section) {
    if (section.hasAttribute("data-journal-ready")) return;
    section.setAttribute("data-journal-ready", "");
    var store = storage();
    var key = siteKey() + section.getAttribute("data-story");
    // Folded questions ("Going further", in a <details>) get boxes too.
    var items = section.querySelectorAll(
      ":scope > ol > li, :scope > ul > li, :scope > details > ol > li, :scope > details > ul > li"
    );
    var fields = Array.prototype.map.call(items, addAnswerBox);

    var where = store
      ? "Your answers are saved only in this browser, on this device."
      : "This browser does not let the storybook save your answers: export them before you leave.";
    var privacy = element(
      "p",
      { class: "storybook-journal__privacy" },
      where + " Nothing you write here is sent anywhere."
    );
    section.insertBefore(privacy, section.firstChild);

    var actions = element("p", { class: "storybook-journal__actions" });
    var exportButton = element(
      "button",
      { type: "button", class: "md-button md-button--primary" },
      "Export my reflections"
    );
    // Quieter than the export: clearing cannot be undone, so it should not invite a click.
    var clearButton = element(
      "button",
      { type: "button", class: "storybook-journal__clear" },
      "Clear all my answers"
    );
    var status = element("span", { class: "storybook-journal__status", role: "status" });
    actions.appendChild(exportButton);
    actions.appendChild(clearButton);
    actions.appendChild(status);
    section.appendChild(actions);

    function say(message) {
      if (status.textContent !== message) status.textContent = message;
    }

    var saved = store ? read(store, key) : null;
    var earlier = saved ? saved.answers : [];
    fields.forEach(function (field) {
      var match = earlier.filter(function (item) {
        return item.question === field.question;
      })[0];
      if (match) field.box.value = match.answer;
      fitToContent(field.box);
    });

    function current() {
      return {
        title: section.getAttribute("data-title"),
        answers: fields
          .map(function (field) {
            return { question: field.question, answer: field.box.value };
          })
          .filter(function (item) {
            return item.answer.trim();
          }),
      };
    }

    function save() {
      if (!store) return;
      var entry = current();
      var asked = fields.map(function (field) {
        return field.question;
      });
      var reworded = (read(store, key) || { answers: [] }).answers.filter(function (item) {
        return asked.indexOf(item.question) < 0;
      });
      entry.answers = entry.answers.concat(reworded);
      try {
        if (entry.answers.length) store.setItem(key, JSON.stringify(entry));
        else store.removeItem(key);
        say("Saved in this browser.");
      } catch (error) {
        say("Not saved: this browser's storage is full. Export your answers to keep them.");
      }
    }

    fields.forEach(function (field) {
      field.box.addEventListener("input", function () {
        fitToContent(field.box);
        save();
      });
    });

    exportButton.addEventListener("click", function () {
      download("my-reflections.md", toMarkdown(store ? storedEntries(store) : [current()]));
      say("Exported as my-reflections.md.");
    });

    clearButton.addEventListener("click", function () {
      var sure = window.confirm(
        "Clear every answer you have written in this storybook on this device? " +
          "This cannot be undone. Export them first if you want to keep them."
      );
      if (!sure) return;
      if (store) {
        journalKeys(store).forEach(function (each) {
          store.removeItem(each);
        });
        store.removeItem(siteKey(PROGRESS_PREFIX));
      }
      // Every box on the page: a workbook, and a story that asks questions after a part it
      // holds back, have several blocks of questions, and a box still showing an answer
      // would save it again.
      Array.prototype.forEach.call(
        document.querySelectorAll(".storybook-reflection .storybook-answer__box"),
        function (box) {
          box.value = "";
          fitToContent(box);
        }
      );
      say("All your answers have been cleared from this browser.");
    });
  }

  /* A printed page holds every question: open the folded ones while printing (the print
     stylesheet shows them too, where the browser supports ::details-content). */
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(
      document.querySelectorAll(".storybook-reflection details:not([open])"),
      function (details) {
        details.open = true;
        return true;
      }
    );
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) {
      details.open = false;
    });
    openedForPrint = [];
  });

  function start() {
    var sections = document.querySelectorAll(".storybook-reflection[data-story]");
    Array.prototype.forEach.call(sections, setUp);
  }

  /* Material replaces the page content on instant navigation and announces it on document$
     (which never fires on a site opened from file://, hence the plain start as well). */
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  }
})();
