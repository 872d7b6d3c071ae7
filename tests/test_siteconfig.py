from __future__ import annotations

from pathlib import Path

import pytest

from storybook.core.errors import StorybookError
from storybook.core.siteconfig import Tagged, dump_config, read_config, resolve_env

CONFIG = """\
site_name: !ENV [SITE_NAME, "Our stories"]
docs_dir: !relative $config_dir/docs
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
  - toc:
      permalink: true
not_in_nav: |
  /a.md
  /b.md
"""


def test_tags_are_kept_as_written_and_written_back(tmp_path: Path) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text(CONFIG, encoding="utf-8")
    config = read_config(path)
    assert config["site_name"] == Tagged("!ENV", ["SITE_NAME", "Our stories"])
    assert config["docs_dir"] == Tagged("!relative", "$config_dir/docs")
    emoji = config["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"]
    assert emoji == Tagged("tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji", "")

    again = tmp_path / "again.yml"
    again.write_text(dump_config(config), encoding="utf-8")
    assert read_config(again) == config
    text = again.read_text(encoding="utf-8")
    assert "!!python/name:material.extensions.emoji.twemoji" in text
    assert "not_in_nav: |\n  /a.md\n  /b.md\n" in text


def test_env_is_resolved_as_mkdocs_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SB_A", raising=False)
    monkeypatch.delenv("SB_B", raising=False)
    assert resolve_env(Tagged("!ENV", "SB_A")) is None
    assert resolve_env(Tagged("!ENV", ["SB_A", "SB_B", "learner"])) == "learner"
    monkeypatch.setenv("SB_B", "facilitator")
    assert resolve_env(Tagged("!ENV", ["SB_A", "SB_B", "learner"])) == "facilitator"
    assert resolve_env("plain") == "plain"
    assert resolve_env(Tagged("!relative", "x")) == Tagged("!relative", "x")


def test_unreadable_config_is_a_problem_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: x\ntheme:\n  name: material\n features: []\n", encoding="utf-8")
    with pytest.raises(StorybookError) as caught:
        read_config(path)
    assert caught.value.problems[0].line == 4
    with pytest.raises(StorybookError, match="no MkDocs configuration here"):
        read_config(tmp_path / "missing.yml")
