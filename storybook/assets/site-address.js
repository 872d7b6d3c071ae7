/* Leadership Storybook: the site's address, for the storybook's other scripts.
 *
 * Loaded before them (extra_javascript's first; before pagefind-search.js among the polyfills),
 * it sets window.storybookSite = {url, path}: the site's root as an absolute address and as a
 * path ending in "/", e.g. "/" served, "/home/ann/site/" opened from file://. Both are worked
 * out once, when the page is first loaded: Material's instant navigation then changes the
 * page's address without loading any script again, so an address worked out from the page's
 * address after a click (as #__config's base, relative to the first page, would be) names
 * another folder.
 */
(function () {
  "use strict";

  if (window.storybookSite) return;

  /* This file is the site's assets/site-address.js, so the site's root is its folder's parent:
     right in the head too (as a polyfill), where #__config is not there yet. */
  function root() {
    var script = document.currentScript;
    if (script && script.src) return new URL("../", script.src);
    return new URL(configBase().replace(/\/?$/, "/"), location.href);
  }

  function configBase() {
    var config = document.getElementById("__config");
    if (!config) return ".";
    try {
      return JSON.parse(config.textContent).base || ".";
    } catch (error) {
      return ".";
    }
  }

  var site = root();
  window.storybookSite = Object.freeze({ url: site.href, path: site.pathname });
})();
