/* A learning management system, as small as it gets, around scorm-again's real SCORM 1.2 and
 * 2004 run-times: it launches a SCO in a frame with the data a previous visit left, records
 * every call the SCO makes (with what it returned and the run-time's error code), and keeps
 * what the SCO set for the next visit, as an LMS stores it. */
(function () {
  "use strict";

  var METHODS = {
    scorm12: ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"],
    scorm2004: ["Initialize", "Terminate", "GetValue", "SetValue", "Commit"],
  };
  var ERROR = { scorm12: "LMSGetLastError", scorm2004: "GetLastError" };
  var SET = { scorm12: "LMSSetValue", scorm2004: "SetValue" };
  // What a next visit starts from, as the LMS hands it to the run-time.
  var RESUMED = {
    scorm12: function (kept) {
      return {
        core: {
          lesson_status: kept["cmi.core.lesson_status"] || "not attempted",
          lesson_location: kept["cmi.core.lesson_location"] || "",
          entry: kept["cmi.core.exit"] === "suspend" ? "resume" : "",
        },
        suspend_data: kept["cmi.suspend_data"] || "",
      };
    },
    scorm2004: function (kept) {
      return {
        completion_status: kept["cmi.completion_status"] || "unknown",
        location: kept["cmi.location"] || "",
        entry: kept["cmi.exit"] === "suspend" ? "resume" : "",
        suspend_data: kept["cmi.suspend_data"] || "",
      };
    },
  };

  var FIRST = {
    scorm12: { core: { entry: "ab-initio" } },
    scorm2004: { entry: "ab-initio" },
  };

  function runtime(format) {
    var settings = { autocommit: false, logLevel: 5 };
    return format === "scorm12" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  }

  function record(api, format, calls, kept) {
    METHODS[format].forEach(function (name) {
      var real = api[name].bind(api);
      api[name] = function () {
        var args = Array.prototype.slice.call(arguments);
        var answer = real.apply(null, args);
        var error = String(api[ERROR[format]]());
        calls.push({ method: name, args: args, answer: String(answer), error: error });
        if (name === SET[format] && String(answer) === "true") {
          kept[args[0]] = args[1];
        }
        return answer;
      };
    });
  }

  window.lms = {
    calls: [],
    kept: {},
    finished: false,
    launch: function (format, address, previous) {
      var kept = Object.assign({}, previous || {});
      var api = runtime(format);
      // A first visit is "ab-initio"; a later one resumes what the last one suspended.
      api.loadFromJSON(
        previous ? RESUMED[format](kept) : FIRST[format]
      );
      this.calls = [];
      this.kept = kept;
      this.finished = false;
      record(api, format, this.calls, kept);
      var lms = this;
      var last = format === "scorm12" ? "LMSFinish" : "Terminate";
      var finish = api[last];
      api[last] = function () {
        var answer = finish.apply(null, arguments);
        lms.finished = true;
        return answer;
      };
      window.API = format === "scorm12" ? api : undefined;
      window.API_1484_11 = format === "scorm2004" ? api : undefined;
      var frame = document.createElement("iframe");
      frame.id = "sco";
      frame.title = "Course";
      frame.src = address;
      document.body.appendChild(frame);
    },
    // The learner closes the course: the LMS removes the SCO's frame.
    close: function () {
      var frame = document.getElementById("sco");
      frame.parentNode.removeChild(frame);
      return this.kept;
    },
  };
})();
