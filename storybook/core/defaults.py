"""Where the storybook's own templates and tag vocabulary are: inside the package.

A project's templates folder overrides them file by file, as a theme's ``custom_dir``
overrides the theme: a template or ``tags.yml`` the project has replaces the default of that
name, and a project with none of them builds with the defaults (see render.py, vocabulary.py).
"""

from __future__ import annotations

from pathlib import Path

# storybook/defaults/templates, shipped as package data (pyproject.toml).
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "defaults" / "templates"
