"""The layout shows the architecture: the core and the workshops import neither MkDocs, click
nor watchdog; adapters sit beside them, and the export borrows nothing from the plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FORBIDDEN = ("mkdocs", "click", "watchdog")
PYTHONPATH = os.environ.get("PYTHONPATH", "")


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


@pytest.mark.parametrize(
    "package", ["storybook.core", "storybook.workshops", "storybook.paths", "storybook.scaffold"]
)
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


def test_the_check_fails_when_a_package_imports_an_adapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check itself can fail: a package whose module imports MkDocs, or a layer above
    it, is seen by the same functions the tests above use."""
    package = tmp_path / "leaky"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "innocent.py").write_text("import json\n", encoding="utf-8")
    (package / "adapter.py").write_text(
        "import mkdocs.config\nimport storybook.plugin.search\n", encoding="utf-8"
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(tmp_path), PYTHONPATH])))
    modules = storybook_modules("leaky")
    assert modules == ["leaky", "leaky.adapter", "leaky.innocent"]
    assert "mkdocs" in imported_by(*modules) & set(FORBIDDEN)
    assert "storybook.plugin" in layers_above(
        imported_storybook_modules("leaky.adapter"), "storybook.core"
    )
    assert layers_above(imported_storybook_modules("leaky.innocent"), "storybook.core") == []


# The layers the core sits below: it may import none of them.
ABOVE_THE_CORE = (
    "storybook.workshops",
    "storybook.paths",
    "storybook.plugin",
    "storybook.export",
    "storybook.cli",
    "storybook.room",
    "storybook.sections",
)


def imported_storybook_modules(module: str) -> set[str]:
    """Every storybook module a fresh interpreter has loaded after importing ``module``."""
    code = (
        "import json, sys\n"
        f"import {module}\n"
        "print(json.dumps(sorted(name for name in sys.modules if name.startswith('storybook'))))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(output))


def layers_above(loaded: set[str], layer: str) -> list[str]:
    """The layers above ``layer`` that ``loaded`` reaches into."""
    assert layer == "storybook.core"
    return sorted(
        above
        for above in ABOVE_THE_CORE
        if any(name == above or name.startswith(above + ".") for name in loaded)
    )


@pytest.mark.parametrize("module", storybook_modules("storybook.core"))
def test_no_core_module_imports_a_layer_above_the_core(module: str) -> None:
    assert layers_above(imported_storybook_modules(module), "storybook.core") == []
