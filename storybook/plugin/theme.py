"""What the storybook adds to the Material theme for readers.

Stylesheets (with the contrast fixes the theme needs), the reflection journal's script, and a
local stand-in for the Web Worker shim that Material's offline build would otherwise fetch
from a CDN. The plugin calls these; nothing here runs a build. The one fix CSS cannot make,
a name for the search dialog, is in the project's theme override, overrides/main.html.
"""

from __future__ import annotations

from importlib import resources

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from storybook.core.site import (
    ASSETS,
    DEFAULT_FOOTER,
    SCRIPTS,
    SITE_ADDRESS,
    STYLESHEETS,
    WORKER_SHIM,
    asset_bytes,
)

# Answers Material's search box from the Pagefind index (see search.py); loaded before
# Material's own script, like the worker shim, so that it is in place when search starts.
# Only the plugin builds a Pagefind index, so only the plugin's builds load it.
PAGEFIND_SEARCH = "assets/pagefind-search.js"

# Page templates of the storybook's own (the projector view), and its overrides of the
# theme's partials that carry the Content-Security-Policy (see core/csp.py).
THEME_TEMPLATES = "theme"


def extend_theme(config: MkDocsConfig, *, pagefind: bool = False) -> None:
    """Add the reader's assets to the site's configuration (idempotent). ``pagefind``: the
    site carries a Pagefind index, which answers the search box."""
    for path in STYLESHEETS:
        if path not in config.extra_css:
            config.extra_css.append(path)
    for path in SCRIPTS:
        if path not in config.extra_javascript:
            config.extra_javascript.append(path)
    if offline_build(config):
        use_local_worker_shim(config)
    polyfills = [
        script
        for script in config.extra.get("polyfills", [])
        if script not in (SITE_ADDRESS, PAGEFIND_SEARCH)
    ]
    if pagefind:
        # Polyfills run in the head, before extra_javascript: the site's address first.
        polyfills += [SITE_ADDRESS, PAGEFIND_SEARCH]
    config.extra["polyfills"] = polyfills

    templates = str(resources.files("storybook.plugin").joinpath(THEME_TEMPLATES))
    if templates not in config.theme.dirs:
        # After the project's own theme folder, before the theme's: the storybook's partials
        # replace the theme's inline scripts (see core/csp.py).
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, templates)
    if not config.copyright:
        config.copyright = DEFAULT_FOOTER.format(site_name=config.site_name)


def offline_build(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on (``STORYBOOK_OFFLINE=true`` in our mkdocs.yml)."""
    for name, plugin in config.plugins.items():
        if name.rsplit("/", 1)[-1] == "offline":
            return bool(getattr(plugin.config, "enabled", False))
    return False


def use_local_worker_shim(config: MkDocsConfig) -> None:
    """Search from file:// needs a Worker stand-in; ours ships with the site, no CDN."""
    polyfills = [
        script
        for script in config.extra.get("polyfills", [])
        if "iframe-worker" not in str(script) or script == WORKER_SHIM
    ]
    if WORKER_SHIM not in polyfills:
        polyfills.append(WORKER_SHIM)
    config.extra["polyfills"] = polyfills


# The line of pagefind-search.js that the offline build's copy says true: its Pagefind files
# are packed into scripts (see search.py), whether it is opened from disk or served.
NOT_PACKED = b"var PACKED = false;"


def asset_files(config: MkDocsConfig) -> list[File]:
    files = [File.generated(config, path, content=asset_bytes(path)) for path in ASSETS]
    search = asset_bytes(PAGEFIND_SEARCH)
    if offline_build(config):
        if search.count(NOT_PACKED) != 1:
            raise RuntimeError(f"{PAGEFIND_SEARCH} no longer says {NOT_PACKED.decode()}")
        search = search.replace(NOT_PACKED, b"var PACKED = true;")
    return [*files, File.generated(config, PAGEFIND_SEARCH, content=search)]
