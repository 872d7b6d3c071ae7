/* Leadership Storybook: the theme's inline scripts, as a file of the site.
 *
 * Every page carries a Content-Security-Policy that runs scripts from the site's own files
 * only (storybook/plugin/theme/partials/storybook-csp.html): an inline script that slipped
 * into a page is never run. Material for MkDocs (and Zensical) write a few small inline
 * scripts of their own; the storybook's theme overrides (partials/javascripts/*.html) load
 * this file in their place, once per part, with what the inline script had written into it
 * (the site's scope) as attributes: data-part names which part runs.
 *
 * Each part does what the theme's inline script of the same name does (Material 9.8 and
 * Zensical 0.0.73; "base" as Zensical has it, a superset of Material's).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var part = script.getAttribute("data-part");

  var parts = {
    base: function () {
      var scope = new URL(script.getAttribute("data-scope") || ".", location);
      if (!scope.pathname.endsWith("/")) scope = new URL(scope.pathname + "/", location);
      window.__md_scope = scope;
      window.__md_hash = function (text) {
        return Array.from(text).reduce(function (hash, char) {
          return (hash << 5) - hash + char.charCodeAt(0);
        }, 0);
      };
      window.__md_get = function (key, storage, base) {
        storage = storage || localStorage;
        base = base || window.__md_scope;
        return JSON.parse(storage.getItem(base.pathname + "." + key));
      };
      window.__md_set = function (key, value, storage, base) {
        storage = storage || localStorage;
        base = base || window.__md_scope;
        try {
          storage.setItem(base.pathname + "." + key, JSON.stringify(value));
        } catch (error) {
          // Storage full or refused: the theme works on without remembering.
        }
      };
      document.documentElement.setAttribute("data-platform", navigator.platform);
    },

    palette: function () {
      var palette = window.__md_get("__palette");
      if (!palette || !palette.color) return;
      if (palette.color.media === "(prefers-color-scheme)") {
        var light = matchMedia("(prefers-color-scheme: light)").matches;
        var input = document.querySelector(
          light
            ? "[data-md-color-media='(prefers-color-scheme: light)']"
            : "[data-md-color-media='(prefers-color-scheme: dark)']"
        );
        palette.color.media = input.getAttribute("data-md-color-media");
        palette.color.scheme = input.getAttribute("data-md-color-scheme");
        palette.color.primary = input.getAttribute("data-md-color-primary");
        palette.color.accent = input.getAttribute("data-md-color-accent");
      }
      Object.keys(palette.color).forEach(function (key) {
        document.body.setAttribute("data-md-color-" + key, palette.color[key]);
      });
    },

    announce: function () {
      var banner = document.querySelector("[data-md-component=announce]");
      if (!banner) return;
      var content = banner.querySelector(".md-typeset");
      if (content && window.__md_hash(content.innerHTML) === window.__md_get("__announce")) {
        banner.hidden = true;
      }
    },

    outdated: function () {
      var banner = document.querySelector("[data-md-component=outdated]");
      var base = new URL(script.getAttribute("data-base") || ".", location);
      if (window.__md_get("__outdated", sessionStorage, base) === true && banner) {
        banner.hidden = false;
      }
    },

    // Linked content tabs: the tab last chosen is chosen again.
    tabs: function () {
      var tabs = window.__md_get("__tabs");
      if (!Array.isArray(tabs)) return;
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        var labels = set.querySelector(".tabbed-labels");
        var chosen = false;
        tabs.forEach(function (tab) {
          if (chosen) return;
          Array.from(labels.getElementsByTagName("label")).forEach(function (label) {
            if (!chosen && label.innerText.trim() === tab) {
              document.getElementById(label.htmlFor).checked = true;
              chosen = true;
            }
          });
        });
      });
    },

    // A content tab named in the address is the one shown.
    target: function () {
      var target = document.getElementById(location.hash.slice(1));
      if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
    },

    consent: function () {
      var form = document.forms.consent;
      if (!form) return;
      var consent = window.__md_get("__consent");
      if (consent) {
        Array.from(form.elements).forEach(function (input) {
          if (input.name) input.checked = consent[input.name] || false;
        });
      } else if (location.protocol !== "file:") {
        setTimeout(function () {
          document.querySelector("[data-md-component=consent]").hidden = false;
        }, 250);
      }
      ["submit", "reset"].forEach(function (action) {
        form.addEventListener(action, function (event) {
          event.preventDefault();
          if (event.type === "reset") {
            Array.from(form.elements).forEach(function (input) {
              if (input.name) input.checked = false;
            });
          }
          var given = {};
          Array.from(new FormData(form).keys()).forEach(function (name) {
            given[name] = true;
          });
          window.__md_set("__consent", given);
          location.hash = "";
          location.reload();
        });
      });
    },
  };

  if (Object.prototype.hasOwnProperty.call(parts, part)) parts[part]();
})();
