"""Run the `mkdocs` command line, adding up the CPU time spent in the storybook plugin's hooks.

Usage: timed_mkdocs.py REPORT.json [mkdocs arguments...]

The benchmark runs both builds (with and without the plugin) through this wrapper, so both
pay the same tiny cost for it. The time in the hooks is the storybook's own work inside a
build: loading, validating and rendering stories, and handing the pages to MkDocs.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.__main__ import cli

from storybook.plugin import StorybookPlugin

spent = {"seconds": 0.0, "calls": 0}


def timed(hook: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(hook)  # keeps MkDocs' event priority attribute
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return hook(*args, **kwargs)
        finally:
            spent["seconds"] += time.process_time() - start
            spent["calls"] += 1

    return wrapper


def main() -> int:
    report = Path(sys.argv[1])
    for name in dir(StorybookPlugin):
        if name.startswith("on_"):
            setattr(StorybookPlugin, name, timed(getattr(StorybookPlugin, name)))
    try:
        cli.main(args=sys.argv[2:], prog_name="mkdocs", standalone_mode=False)
    finally:
        report.write_text(json.dumps(spent), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
