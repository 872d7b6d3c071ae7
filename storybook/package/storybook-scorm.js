/* The storybook as one SCORM SCO: what `storybook package` puts beside the offline copy.
 *
 * The package opens on storybook-scorm.html, which holds the site in a frame and this script.
 * The frame's pages are the offline copy, untouched: this script watches which page the frame
 * shows and tells the LMS only progress (incomplete, completed, where to resume, the stories
 * seen as a bitset, the session's time). It reads nothing from any page: the reader's journal
 * answers stay in the browser's localStorage and are never in any call to the LMS.
 *
 * One document talks to the LMS for the whole visit, so it initializes once and finishes
 * once, whatever the reader opens in between. Without an LMS (the package opened as a plain
 * folder) it hands over to the offline copy's own start page.
 */
(function () {
  "use strict";

  var FORMATS = {
    scorm12: {
      api: "API",
      initialize: "LMSInitialize",
      terminate: "LMSFinish",
      getValue: "LMSGetValue",
      setValue: "LMSSetValue",
      commit: "LMSCommit",
      entry: "cmi.core.entry",
      // 1.2 LMSs say "resume" or "" for a later visit: only "ab-initio" is a first one.
      resumes: function (entry) {
        return entry !== "ab-initio";
      },
      status: "cmi.core.lesson_status",
      done: ["completed", "passed"],
      location: "cmi.core.lesson_location",
      suspendData: "cmi.suspend_data",
      sessionTime: "cmi.core.session_time",
      exit: "cmi.core.exit",
      progress: null,
      time: timespan,
    },
    scorm2004: {
      api: "API_1484_11",
      initialize: "Initialize",
      terminate: "Terminate",
      getValue: "GetValue",
      setValue: "SetValue",
      commit: "Commit",
      entry: "cmi.entry",
      // In 2004 what a visit left is kept for the next only when it was suspended.
      resumes: function (entry) {
        return entry === "resume";
      },
      status: "cmi.completion_status",
      done: ["completed"],
      location: "cmi.location",
      suspendData: "cmi.suspend_data",
      sessionTime: "cmi.session_time",
      exit: "cmi.exit",
      progress: "cmi.progress_measure",
      time: duration,
    },
  };
  // SCORM 1.2's cmi.core.lesson_location is a CMIString255; 2004 allows more, 1.2 decides.
  var MAX_LOCATION = 255;
  // The API discovery algorithm of the SCORM run-time books gives up after so many frames.
  var MAX_FRAMES = 500;
  // A page of the package, as the LMS may hand it back: never another site, never a script.
  var PAGE = /^[A-Za-z0-9_][A-Za-z0-9_.\/-]*\.html$/;
  var LAUNCH = "storybook-scorm.html";

  /* The LMS's API object in this window or a frame above it, or in the window that opened
   * ours (an LMS that launches the course in a new window). A frame of another origin
   * cannot be read: it is passed over. */
  function findApi(name) {
    var found = climb(window, name);
    if (!found && window.top && window.top.opener) {
      found = climb(window.top.opener, name);
    }
    return found;
  }

  function climb(start, name) {
    var win = start;
    for (var hops = 0; win && hops < MAX_FRAMES; hops++) {
      try {
        if (win[name]) {
          return win[name];
        }
      } catch (error) {
        // Another origin's frame: keep climbing.
      }
      if (win.parent === win) {
        return null;
      }
      win = win.parent;
    }
    return null;
  }

  /* The stories seen, one bit per story of the package in its order (8 stories a byte,
   * little end first), in base64 after the package's key: a package rebuilt with other
   * stories starts afresh instead of misreading the bits. 24,000 stories fit SCORM 1.2's
   * 4,096 characters; `storybook package` refuses a larger package. */
  function encodeSeen(key, seen) {
    var bytes = new Uint8Array(Math.ceil(seen.length / 8));
    for (var index = 0; index < seen.length; index++) {
      if (seen[index]) {
        bytes[index >> 3] |= 1 << (index & 7);
      }
    }
    var binary = "";
    for (var at = 0; at < bytes.length; at++) {
      binary += String.fromCharCode(bytes[at]);
    }
    return key + ":" + window.btoa(binary);
  }

  function decodeSeen(key, data, count) {
    var seen = [];
    for (var index = 0; index < count; index++) {
      seen.push(false);
    }
    if (typeof data !== "string" || data.indexOf(key + ":") !== 0) {
      return seen;
    }
    var binary;
    try {
      binary = window.atob(data.slice(key.length + 1));
    } catch (error) {
      return seen;
    }
    for (var bit = 0; bit < count; bit++) {
      seen[bit] = ((binary.charCodeAt(bit >> 3) || 0) & (1 << (bit & 7))) !== 0;
    }
    return seen;
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) {
      text = "0" + text;
    }
    return text;
  }

  /* SCORM 1.2's CMITimespan: HHHH:MM:SS.SS. */
  function timespan(milliseconds) {
    var hundredths = Math.min(Math.round(milliseconds / 10), 9999 * 360000 + 359999);
    var hours = Math.floor(hundredths / 360000);
    var minutes = Math.floor(hundredths / 6000) % 60;
    var seconds = Math.floor(hundredths / 100) % 60;
    return (
      pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(hundredths % 100, 2)
    );
  }

  /* SCORM 2004's timeinterval: an ISO 8601 duration, PT1H2M3.45S. */
  function duration(milliseconds) {
    var hundredths = Math.round(milliseconds / 10);
    var hours = Math.floor(hundredths / 360000);
    var minutes = Math.floor(hundredths / 6000) % 60;
    var seconds = (hundredths % 6000) / 100;
    return "PT" + hours + "H" + minutes + "M" + seconds.toFixed(2) + "S";
  }

  /* A page of the package by its address inside it, e.g. stories/the-quiet-slump.html. */
  function packagePage(address) {
    return typeof address === "string" &&
      PAGE.test(address) &&
      address.split("/").indexOf("..") < 0 &&
      address !== LAUNCH
      ? address
      : null;
  }

  function pageInFrame(frame) {
    var href;
    try {
      href = frame.contentWindow.location.href;
    } catch (error) {
      return null; // a page of another site, opened from a link in a story
    }
    var base = new URL(".", window.location.href).href;
    if (href.indexOf(base) !== 0) {
      return null;
    }
    return packagePage(href.slice(base.length).split("#")[0].split("?")[0]);
  }

  function Course(settings, format, api, frame) {
    this.settings = settings;
    this.format = format;
    this.api = api;
    this.frame = frame;
    this.began = Date.now();
    this.finished = false;
    this.location = "";
    this.seen = [];
    this.completed = false;
  }

  Course.prototype.get = function (element) {
    return String(this.api[this.format.getValue](element) || "");
  };

  Course.prototype.set = function (element, value) {
    this.api[this.format.setValue](element, value);
  };

  Course.prototype.commit = function () {
    this.api[this.format.commit]("");
  };

  Course.prototype.start = function () {
    var format = this.format;
    var stories = this.settings.stories;
    // A first visit has nothing to resume: SCORM 2004 answers "not initialized" (403) to
    // reading it, so it is not read.
    var resumed = format.resumes(this.get(format.entry));
    var data = resumed ? this.get(format.suspendData) : "";
    this.seen = decodeSeen(this.settings.key, data, stories.length);
    this.completed = format.done.indexOf(this.get(format.status)) >= 0;
    if (!this.completed) {
      this.set(format.status, "incomplete");
    }
    this.location = (resumed && packagePage(this.get(format.location))) || "";
    this.commit();
    var course = this;
    this.frame.addEventListener("load", function () {
      course.opened(pageInFrame(course.frame));
    });
    var finish = function () {
      course.finish();
    };
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
    this.frame.src = this.location || this.settings.start;
  };

  /* The reader opened `page` in the frame: where to resume, and perhaps one more story. */
  Course.prototype.opened = function (page) {
    if (this.finished || page === null) {
      return;
    }
    var format = this.format;
    var changed = false;
    if (page !== this.location && page.length <= MAX_LOCATION) {
      this.location = page;
      this.set(format.location, page);
      changed = true;
    }
    var index = this.settings.stories.indexOf(page);
    if (index >= 0 && !this.seen[index]) {
      this.seen[index] = true;
      this.set(format.suspendData, encodeSeen(this.settings.key, this.seen));
      var count = this.seen.filter(Boolean).length;
      if (format.progress) {
        this.set(format.progress, (count / this.seen.length).toFixed(4));
      }
      if (!this.completed && count === this.seen.length) {
        this.completed = true;
        this.set(format.status, "completed");
      }
      changed = true;
    }
    if (changed) {
      // At once: a browser closed without its unload events loses nothing already read.
      this.commit();
    }
  };

  /* Close the session once, however the window goes: the time it took, and "suspend" so
   * that the LMS keeps where to resume and the stories seen for the next visit. */
  Course.prototype.finish = function () {
    if (this.finished) {
      return;
    }
    this.finished = true;
    this.set(this.format.sessionTime, this.format.time(Date.now() - this.began));
    this.set(this.format.exit, "suspend");
    this.commit();
    this.api[this.format.terminate]("");
  };

  function start() {
    var settings = window.storybookScormPackage;
    var frame = document.getElementById("storybook-scorm-frame");
    if (!settings || !frame || !FORMATS[settings.format]) {
      return;
    }
    var format = FORMATS[settings.format];
    var api = findApi(format.api);
    var connected = false;
    if (api) {
      try {
        connected = String(api[format.initialize]("")) === "true";
      } catch (error) {
        connected = false;
      }
    }
    if (!connected) {
      // No LMS: the package is the offline copy, opened on its own first page.
      window.location.replace(settings.start);
      return;
    }
    new Course(settings, format, api, frame).start();
  }

  // For the tests of the encoding's size; nothing on the page uses it.
  window.StorybookScorm = {
    encodeSeen: encodeSeen,
    decodeSeen: decodeSeen,
    timespan: timespan,
    duration: duration,
  };
  start();
})();
