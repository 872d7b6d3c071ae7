"""Run the `mkdocs` command line as ``build_bench.py --instructions`` counts it, under valgrind.

Usage: counted_mkdocs.py storybook|plain [mkdocs arguments...]

Valgrind runs a program some fifty times slower: the storybook's limit on the time a template
may take to fill in (``RENDER_SECONDS``, there to stop a runaway template) would mistake every
page for one, so it is raised for the storybook's build. The plain build imports nothing of
the storybook.
"""

from __future__ import annotations

import sys

from mkdocs.__main__ import cli


def main() -> int:
    if sys.argv[1] == "storybook":
        import storybook.core.render

        storybook.core.render.RENDER_SECONDS = 10_000.0
    cli.main(args=sys.argv[2:], prog_name="mkdocs", standalone_mode=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
