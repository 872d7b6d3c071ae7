"""`mkdocs serve` under the Content-Security-Policy: live reload from a file of the site.

MkDocs' live-reload server writes an inline script into every page it serves; the pages'
policy (see core/csp.py) runs no inline script. The same script is served as a file of the
site instead, and each page gets a tag that loads it, with the page's numbers as attributes.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

LIVE_RELOAD = "assets/storybook-livereload.js"


def live_reload_file(config: MkDocsConfig) -> File | None:
    """MkDocs' live-reload script, reading its numbers from the tag that loads it."""
    try:
        from mkdocs.livereload import _SCRIPT_TEMPLATE_STR
    except ImportError:  # another MkDocs: its own inline script, which the policy blocks
        return None
    script = string.Template(_SCRIPT_TEMPLATE_STR).substitute(
        epoch='Number(tag.getAttribute("data-epoch"))',
        request_id='Number(tag.getAttribute("data-request"))',
    )
    content = f"(function (tag) {{\n{script}\n}})(document.currentScript);\n"
    return File.generated(config, LIVE_RELOAD, content=content)


def live_reload_from_file(server: LiveReloadServer) -> None:
    """Make ``server`` load the live-reload script from the site, not write it inline."""
    try:
        from mkdocs.livereload import _timestamp
    except ImportError:
        return
    if not hasattr(server, "_inject_js_into_html"):
        return
    source = f"{server.mount_path}{LIVE_RELOAD}"

    def inject(content: bytes, epoch: int) -> bytes:
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        tag = f'<script src="{source}" data-epoch="{epoch}" data-request="{_timestamp()}"></script>'
        return content[:end] + tag.encode("utf-8") + content[end:]

    server._inject_js_into_html = inject  # type: ignore[method-assign]
