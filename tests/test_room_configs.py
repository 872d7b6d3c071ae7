"""The room's edition check against configurations whose storybook entry looks right when
read as YAML but whose learner server would not build the learner edition alone."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from storybook.core.errors import RoomError
from storybook.room import check_config_follows_edition

from .conftest import ROOT

CATALOGUE = ROOT / "tests" / "data" / "room_configs"
CONFIGS = sorted(path.name for path in CATALOGUE.glob("*.yml") if not path.name.startswith("_"))


@pytest.mark.parametrize("name", CONFIGS)
def test_the_room_refuses_a_config_whose_learner_server_is_not_learner_alone(
    name: str, mini_project: Callable[..., Path]
) -> None:
    project = mini_project()
    shutil.copy(CATALOGUE / "_base.yml", project / "_base.yml")
    config = project / "mkdocs.yml"
    shutil.copy(CATALOGUE / name, config)
    with pytest.raises(RoomError):
        check_config_follows_edition(config)


def test_the_usual_config_still_passes(mini_project: Callable[..., Path]) -> None:
    project = mini_project()
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - storybook\n", "  - storybook:\n      edition: !ENV [STORYBOOK_EDITION, learner]\n"
        ),
        encoding="utf-8",
    )
    check_config_follows_edition(config)
