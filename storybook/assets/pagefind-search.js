/* Leadership Storybook: Material's search box, answered by Pagefind.
 *
 * Material's search downloads one index of the whole site as the page opens, and builds it
 * in a worker before the first result: seconds on a phone once a library has thousands of
 * stories. A built site served over http(s) also carries a Pagefind index (pagefind/), split
 * into small chunks of which a search fetches only the few it needs. This script, loaded
 * before Material's own, keeps Material's search dialog, keyboard handling and result list,
 * and changes only what answers them:
 *
 * - Material asks for search/search_index.json as every page opens; it gets an index with
 *   no documents instead, without a request, since Pagefind does the searching;
 * - Material's search worker is replaced by an object that speaks the same messages and asks
 *   Pagefind. Pagefind is loaded when the reader reaches for the search box (presses the
 *   search button or focuses the box), not before; only its entry file (160 bytes, which
 *   names the files search needs first) is asked for as the page starts.
 *
 * On a phone's network each request costs a round trip, and Pagefind fetches its files one
 * after the other (its script, its worker, its entry file, then its metadata and WebAssembly).
 * Here it runs without its worker, and the files it will ask for are requested together as
 * soon as the reader reaches for search; Pagefind's own requests for them are answered from
 * those (see prefetch), whatever the host's caching headers say.
 *
 * Every match can be reached. Material lists every result it is given: the first ten at
 * once, then four more each time the reader scrolls to the end of the list, under "N matching
 * documents". Each result's title and passage is one more request to Pagefind, though, so
 * only the first three are fetched with the search, and the list shows as soon as they are
 * in; every result after them is handed to Material as a placeholder naming its place in the
 * list, and filled in (its address, title and passage fetched) as Material puts it on screen
 * (see Placeholders). A tap on one not yet filled in opens its story once it is.
 *
 * Opened from disk (file://) a browser fetches no file and runs no module script. In the
 * offline build, made to be opened from disk (or served, as it may be too), each of
 * Pagefind's files F is a plain script F.js that hands its bytes to
 * window.__storybookPagefindFile, Pagefind's program is a plain script (pagefind.js.js), and
 * Pagefind's requests are answered by adding the script of the file it asks for to the page
 * (readPacked). Material's index is an empty one there too. Any other build opened from disk
 * keeps Material's search, which has no index there.
 */
(function () {
  "use strict";
  // The offline build's copy of this script says true (storybook/plugin/theme.py).
  var PACKED = false;
  if (typeof WebAssembly !== "object" || (!PACKED && location.protocol === "file:")) return;

  // Material's worker messages (integrations/search/worker/message).
  var SETUP = 0;
  var READY = 1;
  var QUERY = 2;
  var RESULT = 3;
  // Pagefind's files, relative to the site's root.
  var FOLDER = "pagefind/";
  // Results whose text is fetched before the list is shown: the first ones a phone shows
  // above the fold. Pagefind fetches each one's text separately (a request each, paced on a
  // phone's network); every other result is a placeholder, filled in once it is on screen.
  var FIRST = 3;
  // The query parameter that marks a placeholder's address: "<search>.<place in its list>".
  var PLACEHOLDER = "storybook-result";
  // Milliseconds without a key press before a search runs (see _query).
  var PAUSE = 120;
  var EMPTY_INDEX =
    "data:application/json," +
    encodeURIComponent(JSON.stringify({ config: { lang: ["en"], separator: "[\\s\\-]+", pipeline: [] }, docs: [] }));

  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    if (/\/search\/search_index\.json$/.test(new URL(String(url), location.href).pathname)) {
      args[1] = EMPTY_INDEX;
    }
    return open.apply(this, args);
  };

  // An address on the site itself, or an error: this script never loads a script, a worker
  // or a file from data:, blob: or another origin, whatever a page says.
  function ownAddress(url) {
    var resolved = new URL(String(url), location.href);
    if (
      resolved.protocol !== location.protocol ||
      resolved.host !== location.host ||
      !/^(https?|file):$/.test(resolved.protocol)
    ) {
      throw new Error("refused an address outside the site: " + resolved.protocol);
    }
    return resolved;
  }

  // The site's address (site-address.js, loaded before this one, finds it from its own
  // file's address, which the theme wrote and no page can).
  function siteRoot() {
    return ownAddress(window.storybookSite.url);
  }

  function escapeHTML(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Where a result is, relative to the site's root: Material resolves it against its base.
  function location_(url) {
    return String(url).replace(/^\//, "");
  }

  // One result as Material's renderer expects it: the page, then its sections. The page
  // scores highest so that its title and the passage with the word show; the sections
  // fold under "N more on this page". The words searched for are highlighted on the page
  // a result opens (Material's search.highlight).
  function item(data, terms) {
    var page = {
      location: location_(data.url),
      title: escapeHTML(page_title(data)),
      text: "<p>" + data.excerpt + "</p>",
      score: 2,
      terms: terms,
    };
    var sections = (data.sub_results || [])
      .filter(function (sub) {
        return sub.url.indexOf("#") >= 0 && sub.title !== page_title(data);
      })
      .slice(0, 3)
      .map(function (sub) {
        return {
          location: location_(sub.url),
          title: escapeHTML(sub.title),
          text: "<p>" + sub.excerpt + "</p>",
          score: 1,
          terms: terms,
        };
      });
    return [page].concat(sections);
  }

  function page_title(data) {
    return data.meta && data.meta.title ? data.meta.title : data.url;
  }

  // A result not fetched yet, as Material renders one: its place in the list of search
  // number ``turn`` is in its address, which Placeholders replaces once it is fetched.
  function placeholder(turn, index, terms) {
    return [
      { location: "?" + PLACEHOLDER + "=" + turn + "." + index, title: "…", text: "", score: 2, terms: terms },
    ];
  }

  // Fills in each placeholder Material puts in the result list: fetches the result's text
  // and gives the link its page's address, title and passage, as item() makes them.
  class Placeholders {
    constructor(search) {
      this.search = search; // the PagefindSearch whose results these are
      this.found = null; // { turn, results } of the latest search
      this.filling = new WeakMap(); // link: the promise of its filling in
      var placeholders = this;
      this.observer = new MutationObserver(function (changes) {
        changes.forEach(function (change) {
          change.addedNodes.forEach(function (node) {
            if (node.querySelectorAll) placeholders.fillAll(node);
          });
        });
      });
      document.addEventListener("click", function (event) { placeholders.clicked(event); }, true);
    }

    // The results of search number ``turn``; the result list is watched from now on.
    remember(turn, results) {
      this.found = { turn: turn, results: results };
      var list = document.querySelector(".md-search-result__list");
      if (list) this.observer.observe(list, { childList: true });
    }

    // The placeholders Material has just put on screen, filled in unless a later search
    // has been asked for by then.
    fillAll(node) {
      var placeholders = this;
      var turn = this.found ? this.found.turn : null;
      if (this.search._latest !== turn) return;
      node.querySelectorAll("a.md-search-result__link").forEach(function (link) {
        placeholders.fill(link);
      });
    }

    fill(link) {
      var known = this.filling.get(link);
      if (known) return known;
      var address = new URL(link.href);
      var key = (address.searchParams.get(PLACEHOLDER) || "").split(".");
      var found = this.found;
      if (key.length !== 2 || !found || found.turn !== Number(key[0])) return null;
      var result = found.results[Number(key[1])];
      if (!result) return null;
      var filled = result.data().then(function (data) {
        var target = new URL(location_(data.url), siteRoot());
        var highlight = address.searchParams.get("h");
        if (highlight !== null) target.searchParams.set("h", highlight);
        link.href = target.href;
        var heading = link.querySelector("h1");
        if (heading) heading.textContent = page_title(data);
        var article = link.querySelector("article");
        if (article) article.insertAdjacentHTML("beforeend", "<p>" + data.excerpt + "</p>");
        return link;
      });
      this.filling.set(link, filled);
      return filled;
    }

    // A tap (or Enter) on a placeholder opens its story once its address is known.
    clicked(event) {
      var link = event.target && event.target.closest ? event.target.closest("a.md-search-result__link") : null;
      if (!link || new URL(link.href).searchParams.get(PLACEHOLDER) === null) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var filled = this.fill(link);
      if (filled) {
        filled.then(function () {
          link.click();
        });
      }
    }
  }

  var placeholders = null; // made with the first search

  function termsOf(text) {
    var terms = {};
    text
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .forEach(function (word) {
        terms[word] = true;
      });
    return terms;
  }

  // Pagefind's start, fetched in one go: answers for the requests Pagefind will make, by
  // address (the query string aside: Pagefind adds a time to its entry file's address).
  var nativeFetch = window.fetch;
  var folder = null; // Pagefind's folder, known once Material starts its search
  var prefetched = {}; // address: the response, until Pagefind asks for it
  // Addresses asked for already, here or by Pagefind itself: none is asked for twice. Pagefind
  // may read the entry file before this script does, and ask for the metadata first.
  var requested = {};

  function prefetch(url, options) {
    var key = url.pathname;
    if (requested[key]) return Promise.resolve(null);
    requested[key] = true;
    prefetched[key] = PACKED ? readPacked(key) : nativeFetch.call(window, url.href, options);
    return prefetched[key];
  }

  // From disk: the bytes of each of Pagefind's files, by its path in Pagefind's folder, as
  // the plain script packed with it hands them over.
  var packed = {};

  window.__storybookPagefindFile = function (name, base64) {
    var waiting = packed[name];
    if (!waiting || waiting.bytes) return;
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    waiting.bytes = bytes;
  };

  function readPacked(path) {
    var name = path.slice(folder.pathname.length);
    if (!packed[name]) {
      var waiting = (packed[name] = { bytes: null });
      waiting.read = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = ownAddress(new URL(name + ".js", folder)).href;
        script.onload = function () {
          script.remove();
          if (waiting.bytes) resolve(waiting.bytes);
          else reject(new Error("Pagefind's " + name + " handed over nothing"));
        };
        script.onerror = function () {
          script.remove();
          reject(new Error("Pagefind's " + name + " is missing"));
        };
        document.head.appendChild(script);
      });
    }
    return packed[name].read.then(function (bytes) {
      return new Response(bytes);
    });
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = ownAddress(url).href;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("could not load " + url.href));
      };
      document.head.appendChild(script);
    });
  }

  // Whatever goes wrong in a prefetch, Pagefind meets again when it asks for the file.
  function ignore() {}

  // Pagefind's entry file (160 bytes), asked for as the page starts: it names the metadata
  // and the WebAssembly for each language, so that once the reader reaches for search they
  // are asked for at once, without waiting a round trip for the entry file first.
  var entry = null; // the promise of its contents, or of null

  function readEntry() {
    if (!entry) {
      entry = prefetch(new URL("pagefind-entry.json", folder), { cache: "no-cache" })
        .then(function (response) {
          return response ? response.clone().json() : null;
        })
        .catch(function () {
          return null;
        });
    }
    return entry;
  }

  // The metadata and the WebAssembly for the page's language (chosen as Pagefind chooses it);
  // the WebAssembly is named after the language, so it is asked for at once, whether the
  // entry file is in yet or not.
  function prefetchStart() {
    var lang = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
    readEntry().then(function (found) {
      if (!found) return;
      var languages = found.languages || {};
      var index =
        languages[lang] ||
        languages[lang.split("-")[0]] ||
        Object.keys(languages)
          .map(function (key) {
            return languages[key];
          })
          .sort(function (a, b) {
            return b.page_count - a.page_count;
          })[0];
      if (!index) return;
      prefetch(new URL("pagefind." + index.hash + ".pf_meta", folder)).catch(ignore);
      prefetch(new URL("wasm." + (index.wasm || "unknown") + ".pagefind", folder)).catch(ignore);
    });
    // A wrong guess (a language Pagefind has no WebAssembly of its own for) is only unused.
    prefetch(new URL("wasm." + lang.split("-")[0] + ".pagefind", folder)).catch(ignore);
  }

  window.fetch = function (input, init) {
    var address = input instanceof Request ? input.url : String(input);
    var key = new URL(address, location.href).pathname;
    var answer = prefetched[key];
    var pagefinds = folder !== null && key.indexOf(folder.pathname) === 0;
    if (!answer && pagefinds) {
      requested[key] = true;
      if (PACKED) return readPacked(key);
    }
    if (answer && !init) {
      delete prefetched[key]; // each answers one request; a later one goes to the network
      var self = this;
      var args = arguments;
      return answer.then(
        function (response) {
          return response.clone();
        },
        function () {
          return nativeFetch.apply(self, args);
        }
      );
    }
    return nativeFetch.apply(this, arguments);
  };

  class PagefindSearch extends EventTarget {
    constructor(root) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._root = root;
      this._pagefind = null;
      this._latest = 0; // the number of the latest search, one per key press
      folder = new URL(FOLDER, root);
      readEntry();
      var search = this;
      function reaching(event) {
        var target = event.target;
        if (target && target.closest && target.closest(".md-search__input, label[for='__search']")) {
          search._load().catch(function () {});
        }
      }
      document.addEventListener("pointerdown", reaching, true);
      document.addEventListener("focusin", reaching, true);
    }

    _load() {
      if (!this._pagefind) {
        prefetchStart();
        var program = PACKED
          ? loadScript(new URL("pagefind.js.js", folder)).then(function () {
              return window.__storybookPagefind;
            })
          : import(ownAddress(new URL("pagefind.js", folder)).href);
        this._pagefind = program.then(function (pagefind) {
          var options = { basePath: folder.href, baseUrl: "/", excerptLength: 24, noWorker: true };
          return pagefind.options(options).then(function () {
            return pagefind.init().then(function () {
              return pagefind;
            });
          });
        });
      }
      return this._pagefind;
    }

    postMessage(message) {
      if (message.type === SETUP) this._reply({ type: READY });
      else if (message.type === QUERY) this._query(String(message.data || ""));
    }

    terminate() {}

    _query(text) {
      var turn = ++this._latest;
      var search = this;
      var results = [];
      if (!text.trim()) {
        this._reply({ type: RESULT, data: { items: [] } });
        return;
      }
      function current(value) {
        return turn === search._latest ? value : null;
      }
      // Each step stops once the reader has typed further: a word typed further needs
      // neither the search of this one nor the texts of its results.
      this._load()
        .then(function (pagefind) {
          if (!current(pagefind)) return null;
          // The index chunks the words need, fetched at once; the search itself waits for a
          // pause in the typing. It runs on the page's thread and, in a large library, a
          // word's first letters match thousands of stories: seconds of a phone's time
          // (with the keys pressed meanwhile waiting behind it) for a list never seen.
          pagefind.preload(text);
          return new Promise(function (resolve) {
            setTimeout(function () {
              resolve(current(pagefind));
            }, PAUSE);
          });
        })
        .then(function (pagefind) {
          return pagefind && pagefind.search(text).then(current);
        })
        .then(function (found) {
          if (!found) return null;
          results = found.results;
          // Only the texts of the first results are awaited: the list shows as soon as they
          // are in; the others follow as placeholders (see Placeholders).
          return Promise.all(
            results.slice(0, FIRST).map(function (result) {
              return result.data();
            })
          ).then(current);
        })
        .then(function (pages) {
          if (!pages) return;
          var terms = termsOf(text);
          var items = pages.map(function (data) {
            return item(data, terms);
          });
          for (var index = FIRST; index < results.length; index++) {
            items.push(placeholder(turn, index, terms));
          }
          placeholders = placeholders || new Placeholders(search);
          placeholders.remember(turn, results);
          search._reply({ type: RESULT, data: { items: items } });
        })
        .catch(function (error) {
          search._emit(new ErrorEvent("error", { message: String(error) }), search.onerror);
        });
    }

    _reply(data) {
      var search = this;
      setTimeout(function () {
        search._emit(new MessageEvent("message", { data: data }), search.onmessage);
      });
    }

    _emit(event, handler) {
      if (typeof handler === "function") handler.call(this, event);
      this.dispatchEvent(event);
    }
  }

  var NativeWorker = window.Worker;
  window.Worker = function (url, options) {
    var address = ownAddress(url);
    if (/\/workers\/search\.[^/]*\.js$/.test(address.pathname)) {
      return new PagefindSearch(siteRoot());
    }
    return new NativeWorker(address.href, options);
  };
  window.Worker.prototype = NativeWorker.prototype;
})();
