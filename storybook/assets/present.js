/* Leadership Storybook: the projector view (present/<slug>/), as slides.
 *
 * The page's sections become slides shown one at a time: the title, each part of the story,
 * then each question. A part held back (reveal: in the story) stays hidden until revealed, and
 * so do the questions for after it (reflection_after), which follow it as "more" slides.
 * Keys: Right, Space or PageDown next; Left or PageUp previous; B blanks the screen; F full screen.
 *
 * The presenter console (facilitator edition, another port, so another origin) opens this
 * window and sends it commands with postMessage. Commands are obeyed only from the console's
 * exact origin (data-console) and only from the window that opened this one; the state sent
 * back goes to that origin only, and holds nothing but slide titles read from this page.
 * Where it is on the wall survives a reload (sessionStorage, in this browser only).
 */
(function () {
  "use strict";

  var root = document.querySelector(".storybook-present");
  if (!root) return;
  var slides = Array.prototype.slice.call(root.querySelectorAll(".storybook-slide"));
  if (!slides.length) return;
  var consoleOrigin = root.getAttribute("data-console") || "";
  var storageKey = "storybook-present:" + (root.getAttribute("data-story") || location.pathname);
  var state = { current: 0, revealed: [], blank: false };

  var blankScreen = document.createElement("div");
  blankScreen.className = "storybook-blank-screen";
  blankScreen.hidden = true;
  blankScreen.setAttribute("aria-hidden", "true");
  document.body.appendChild(blankScreen);
  document.documentElement.classList.add("storybook-slides");

  function held(index) {
    return slides[index].getAttribute("data-held") || "";
  }

  function visible(index) {
    return !held(index) || state.revealed.indexOf(index) !== -1;
  }

  function step(direction) {
    for (var index = state.current + direction; index >= 0 && index < slides.length; index += direction) {
      if (visible(index)) return index;
    }
    return state.current;
  }

  function reveal() {
    for (var index = 0; index < slides.length; index++) {
      if (held(index) === "start" && !visible(index)) {
        state.revealed.push(index);
        for (var more = index + 1; more < slides.length && held(more) === "more"; more++) {
          state.revealed.push(more);
        }
        state.current = index;
        return;
      }
    }
  }

  function question(number) {
    for (var index = 0; index < slides.length; index++) {
      // A question held back with a part (asked after the reveal) waits for the reveal too.
      if (slides[index].getAttribute("data-question") === String(number) && visible(index)) {
        state.current = index;
      }
    }
  }

  function obey(command, number) {
    if (command === "next") state.current = step(1);
    else if (command === "previous") state.current = step(-1);
    else if (command === "reveal") reveal();
    else if (command === "question") question(number);
    else if (command === "blank") state.blank = !state.blank;
    else if (command === "goto" && typeof number === "number" && number >= 0 && number < slides.length && visible(number)) state.current = number;
    else return;
    if (command !== "blank") state.blank = false;
    show();
  }

  function show() {
    slides.forEach(function (slide, index) {
      slide.hidden = index !== state.current;
    });
    blankScreen.hidden = !state.blank;
    save();
    report();
  }

  function save() {
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) {
      /* no storage: the position is simply not kept across a reload */
    }
  }

  function restore() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(storageKey) || "null");
      if (saved && typeof saved.current === "number" && saved.current < slides.length) {
        state.current = saved.current;
        state.revealed = (saved.revealed || []).filter(function (index) {
          return typeof index === "number" && index < slides.length;
        });
        state.blank = saved.blank === true;
      }
    } catch (error) {
      /* a damaged entry: start from the first slide */
    }
    if (!visible(state.current)) state.current = 0;
  }

  function report() {
    var consoleWindow = window.opener;
    if (!consoleWindow || !consoleOrigin) return;
    try {
      consoleWindow.postMessage(
        {
          type: "storybook-projector",
          current: state.current,
          blank: state.blank,
          slides: slides.map(function (slide, index) {
            return {
              title: slide.getAttribute("data-title") || "",
              kind: slide.getAttribute("data-kind") || "",
              question: Number(slide.getAttribute("data-question") || 0),
              held: held(index),
              revealed: visible(index)
            };
          })
        },
        consoleOrigin
      );
    } catch (error) {
      /* the console window has gone */
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== consoleOrigin || !window.opener || event.source !== window.opener) return;
    var data = event.data;
    if (!data || data.type !== "storybook-console") return;
    if (data.command === "hello") report();
    else obey(String(data.command), data.number);
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (key === "ArrowRight" || key === " " || key === "PageDown") obey("next");
    else if (key === "ArrowLeft" || key === "PageUp") obey("previous");
    else if (key === "b" || key === "B") obey("blank");
    else if ((key === "f" || key === "F") && document.documentElement.requestFullscreen) {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(function () {});
    } else return;
    event.preventDefault();
  });

  restore();
  show();
})();
