/* Leadership Storybook: search for a site opened straight from disk (file://).
 *
 * Material runs its search in a Web Worker, and browsers refuse to start a worker from a
 * file:// page. Material's offline build therefore loads a stand-in ("iframe-worker") from a
 * CDN, which a workshop without internet cannot reach. This is our own small stand-in, shipped
 * with the site: when the page comes from file://, Worker runs the worker's script in a hidden
 * frame of the same page and passes messages across. Over http(s) it changes nothing.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function loadScript(scope, src) {
    return new Promise(function (resolve, reject) {
      var script = scope.document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("could not load " + src));
      };
      scope.document.head.appendChild(script);
    });
  }

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._pending = [];
      this._ready = false;
      // Only a script of the site itself: never data:, blob: or another origin, whatever
      // address a page's settings give (a story must not name the search worker).
      var resolved = new URL(String(url), location.href);
      if (resolved.protocol !== "file:" || resolved.host !== location.host) {
        throw new Error("refused a worker from outside the site: " + resolved.protocol);
      }
      var src = resolved.href;
      var frame = document.createElement("iframe");
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.setAttribute("aria-hidden", "true");
      frame.setAttribute("title", "search worker");
      (document.body || document.documentElement).appendChild(frame);
      this._frame = frame;
      var scope = frame.contentWindow;
      var worker = this;
      // What the worker's script sees as its global scope.
      scope.postMessage = function (data) {
        worker._receive(data);
      };
      scope.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return urls.reduce(function (done, each) {
          return done.then(function () {
            return loadScript(scope, new URL(each, src).href);
          });
        }, Promise.resolve());
      };
      loadScript(scope, src).then(
        function () {
          worker._ready = true;
          worker._pending.splice(0).forEach(function (data) {
            worker._send(data);
          });
        },
        function (error) {
          worker._emit(new ErrorEvent("error", { message: error.message }), worker.onerror);
        }
      );
    }

    postMessage(data) {
      if (this._ready) this._send(data);
      else this._pending.push(data);
    }

    terminate() {
      this._ready = false;
      this._pending = [];
      this._frame.remove();
    }

    _send(data) {
      var scope = this._frame.contentWindow;
      if (!scope) return;
      var copy = structuredClone(data);
      setTimeout(function () {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: copy }));
      });
    }

    _receive(data) {
      var worker = this;
      var copy = structuredClone(data);
      setTimeout(function () {
        worker._emit(new MessageEvent("message", { data: copy }), worker.onmessage);
      });
    }

    _emit(event, handler) {
      if (typeof handler === "function") handler.call(this, event);
      this.dispatchEvent(event);
    }
  }

  window.Worker = FrameWorker;
})();
