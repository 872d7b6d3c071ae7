"""The layout shows the architecture: the core and the workshops import neither MkDocs, click
nor watchdog; adapters sit beside them, and the export borrows nothing from the plugin."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

FORBIDDEN = ("mkdocs", "click", "watchdog")


def imported_by(*modules: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after importing ``modules``."""
    code = (
        "import json, sys\n"
        + "".join(f"import {module}\n" for module in modules)
        + "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(output))


def storybook_modules(package: str) -> list[str]:
    code = (
        "import json, pkgutil, importlib\n"
        f"package = importlib.import_module({package!r})\n"
        "print(json.dumps([m.name for m in pkgutil.walk_packages(package.__path__, "
        "package.__name__ + '.')]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return [package, *json.loads(output)]


@pytest.mark.parametrize("package", ["storybook.core", "storybook.workshops"])
def test_the_core_imports_no_adapter_library(package: str) -> None:
    modules = storybook_modules(package)
    assert len(modules) > 1
    loaded = imported_by(*modules)
    assert "storybook" in loaded and "jinja2" in loaded
    assert not loaded & set(FORBIDDEN), sorted(loaded & set(FORBIDDEN))


def test_the_export_borrows_nothing_from_the_plugin() -> None:
    code = (
        "import sys, storybook.export.exporter\n"
        "print(any(name.startswith('storybook.plugin') for name in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"


def test_the_check_fails_when_the_core_imports_mkdocs(tmp_path: object) -> None:
    """The check itself can fail: a module importing MkDocs is seen."""
    loaded = imported_by("storybook.core.pipeline", "mkdocs.config")
    assert "mkdocs" in loaded
