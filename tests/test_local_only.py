"""The facilitator edition is served on this machine only, however `mkdocs serve` is started:
the plugin itself refuses any other address, before anything is bound."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.config import load_config

from storybook.core.editions import FACILITATOR_EDITION, LEARNER_EDITION, Edition
from storybook.core.errors import Problem
from storybook.plugin.serve import local_only_problem

from .conftest import free_port, story_text

ROOM_HINT = "storybook serve --room --host 0.0.0.0"


@dataclass(frozen=True)
class Address:
    """One way to give `mkdocs serve` an address other machines reach, and where the
    problem must point."""

    name: str
    options: tuple[str, ...]  # on the command line; {port} is the port
    config: str  # added to mkdocs.yml
    where: str  # how the problem starts


ON_THE_NETWORK = [
    Address("-a on the command line", ("-a", "0.0.0.0:{port}"), "", "mkdocs serve: "),
    Address("dev_addr in mkdocs.yml", (), "dev_addr: '0.0.0.0:{port}'\n", "mkdocs.yml:13: "),
    Address(
        "--dirty, as make serve runs it", ("--dirty", "-a", "[::]:{port}"), "", "mkdocs serve: "
    ),
    Address("-a on a LAN address", ("-a", "192.0.2.1:{port}"), "", "mkdocs serve: "),
]


def facilitator_project(make: Callable[..., Path], extra: str = "") -> Path:
    project = make({"one.md": story_text(title="First title")})
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  - storybook\n", "  - storybook:\n      edition: !ENV [STORYBOOK_EDITION, learner]\n"
    )
    config.write_text(text + extra, encoding="utf-8")
    return project


def bound(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("address", ON_THE_NETWORK, ids=lambda a: a.name)
def test_mkdocs_serve_refuses_the_facilitator_edition_on_the_network(
    mini_project: Callable[..., Path], address: Address
) -> None:
    port = free_port()
    project = facilitator_project(mini_project, address.config.format(port=port))
    served = subprocess.run(
        [sys.executable, "-m", "mkdocs", "serve", *(o.format(port=port) for o in address.options)],
        cwd=project,
        env={**os.environ, "STORYBOOK_EDITION": "facilitator"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    said = served.stdout + served.stderr
    assert served.returncode != 0, said
    assert address.where + "the facilitator edition would be served on " in said, said
    assert ROOM_HINT in said and "facilitator edition on 127.0.0.1" in said
    assert "Serving on" not in said and "Traceback" not in said
    assert not bound(port)


LOOPBACK = ["127.0.0.1", "127.8.0.1", "::1", "localhost"]
ELSEWHERE = ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "fe80::1"]


def test_only_loopback_addresses_may_serve_the_facilitator_edition(
    mini_project: Callable[..., Path],
) -> None:
    project = facilitator_project(mini_project)

    def problem(host: str, policy: Edition = FACILITATOR_EDITION) -> Problem | None:
        bracketed = f"[{host}]" if ":" in host else host
        config = load_config(str(project / "mkdocs.yml"), dev_addr=f"{bracketed}:8001")
        return local_only_problem(policy, config)

    for host in LOOPBACK:
        assert problem(host) is None, host
    for host in ELSEWHERE:
        assert problem(host) is not None, host
        assert problem(host, LEARNER_EDITION) is None, host
