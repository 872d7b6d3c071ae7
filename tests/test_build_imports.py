"""`mkdocs build` loads only what a build needs: the file watcher (serve only), the PDF and
QR-code libraries (their commands only) cost every build their import time otherwise."""

from __future__ import annotations

import subprocess
import sys

# What serving, `storybook pdf` and the room's join code need, and a build does not.
NOT_FOR_A_BUILD = ("watchdog", "weasyprint", "pypdf", "segno", "lxml")

WHAT_THE_PLUGIN_ADDS = """
import sys
from mkdocs.__main__ import cli
import mkdocs.commands.build
before = set(sys.modules)
import storybook.plugin.hooks
import storybook.sections
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_the_plugin_imports_nothing_a_build_does_not_need() -> None:
    added = subprocess.run(
        [sys.executable, "-c", WHAT_THE_PLUGIN_ADDS],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert "storybook.plugin.hooks" in added
    unneeded = [name for name in added if name.split(".")[0] in NOT_FOR_A_BUILD]
    assert unneeded == []
