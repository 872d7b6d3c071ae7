#!/usr/bin/env python3
"""What each folder of a built site weighs: ``python bench/site_weight.py SITE [SITE...]``.

Each top-level folder of the site (``stories/``, ``tags/``, ``assets/``, ``pagefind/``,
``search/``...) with the bytes of every file in it; the files beside index.html are added up
as ``top-level files``. build_bench.py reports it for every site it builds.
"""

from __future__ import annotations

import sys
from pathlib import Path

TOP_LEVEL = "top-level files"


def folder_weights(site: Path) -> dict[str, int]:
    """Bytes in each top-level folder of ``site`` (hidden ones left out), by its name with a
    slash; the files at the top under TOP_LEVEL."""
    weights: dict[str, int] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        parts = path.relative_to(site).parts
        if parts[0].startswith("."):
            continue
        name = f"{parts[0]}/" if len(parts) > 1 else TOP_LEVEL
        weights[name] = weights.get(name, 0) + path.stat().st_size
    return dict(sorted(weights.items()))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for site in map(Path, argv):
        weights = folder_weights(site)
        print(f"{site}: {sum(weights.values()) / 1e6:.2f} MB")
        for name, size in weights.items():
            print(f"  {name:<20} {size / 1e6:10.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
