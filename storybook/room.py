"""Running a room: both editions served side by side, each a live-reloading `mkdocs serve`.

The projector shows the learner edition; the facilitator's laptop the facilitator edition.
Each edition is its own `mkdocs serve` process with ``STORYBOOK_EDITION`` set, so each
rebuilds and reloads on its own after an edit. The facilitator edition is only ever served
on 127.0.0.1: it must not be reachable from the room's network.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO

from storybook.core.editions import (
    EDITION_VARIABLE,
    EDITIONS,
    FACILITATOR,
    LEARNER,
    ROOM_EDITION_VARIABLE,
)
from storybook.core.errors import RoomError

LOCAL = "127.0.0.1"
# Where a problem with the command itself (not a file) is reported.
COMMAND = Path("storybook serve")
STOP_SECONDS = 15


@dataclass(frozen=True)
class Server:
    edition: str
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"


def room_servers(host: str, port: int, facilitator_port: int) -> list[Server]:
    if port == facilitator_port:
        raise RoomError(
            COMMAND,
            f"the two editions need two ports, not {port} twice",
            "choose another port with --port or --facilitator-port",
            line=0,
        )
    return [Server(LEARNER, host, port), Server(FACILITATOR, LOCAL, facilitator_port)]


def single_server(edition: str, host: str, port: int) -> list[Server]:
    return [Server(edition, host if edition == LEARNER else LOCAL, port)]


def check_config_follows_edition(config_file: Path) -> None:
    """Refuse to start unless mkdocs.yml really takes its edition from STORYBOOK_EDITION.

    A hard-coded ``edition: facilitator`` would put facilitator notes on the projector.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    for edition in EDITIONS:
        with _environment(EDITION_VARIABLE, edition):
            try:
                config = load_config(str(config_file))
            except ConfigurationError as exc:
                raise RoomError(
                    config_file,
                    f"this configuration cannot be read ({exc})",
                    "fix it, then start again",
                ) from None
        plugin = config.plugins.get("storybook")
        if plugin is None:
            raise RoomError(
                config_file,
                "this configuration does not use the storybook plugin",
                "add storybook under plugins:",
            )
        if getattr(plugin.config, "edition", None) != edition:
            raise RoomError(
                config_file,
                f"this configuration does not take the edition from {EDITION_VARIABLE}",
                f"under the storybook plugin write edition: !ENV [{EDITION_VARIABLE}, learner]",
            )


def check_ports_free(servers: list[Server]) -> None:
    for server in servers:
        with socket.socket() as sock:
            try:
                sock.bind((server.host, server.port))
            except OSError:
                raise RoomError(
                    COMMAND,
                    f"port {server.port} on {server.host} is in use",
                    "stop what runs there, or choose other ports with --port and --facilitator-port",
                    line=0,
                ) from None


def serve_command(server: Server, config_file: Path) -> list[str]:
    address = f"{server.host}:{server.port}"
    return [
        # --dirty: a save rebuilds only the pages it changed (see incremental.py).
        *(sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload"),
        *("-a", address, "-f", str(config_file)),
    ]


def run(servers: list[Server], config_file: Path, echo: Callable[[str], None]) -> int:
    """Serve until Ctrl-C or SIGTERM, or until one server stops; then stop them all."""
    processes: list[tuple[Server, subprocess.Popen[str]]] = []
    # Also SIGINT: a shell starts background jobs with it ignored, and the servers would
    # inherit that and could not be stopped cleanly. A handled signal is reset on exec.
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, _interrupt) for sig in stops}
    try:
        for server in servers:
            processes.append((server, _start(server, config_file, echo)))
        for server in servers:
            echo(f"The {server.edition} edition is served on {server.url}")
        echo("Press Ctrl-C to stop.")
        while True:
            for server, process in processes:
                if process.poll() is not None:
                    echo(f"The {server.edition} edition stopped; stopping the room.")
                    return 1
            time.sleep(0.3)
    except KeyboardInterrupt:
        return 0
    finally:
        for _, process in processes:
            _stop(process)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _start(server: Server, config_file: Path, echo: Callable[[str], None]) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        EDITION_VARIABLE: server.edition,
        # Checked by the plugin on every rebuild, whatever mkdocs.yml comes to say.
        ROOM_EDITION_VARIABLE: server.edition,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    process = subprocess.Popen(
        serve_command(server, config_file),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        bufsize=1,
        # Its own process group: Ctrl-C reaches the room, which stops each server once, cleanly.
        start_new_session=True,
    )
    assert process.stdout is not None
    threading.Thread(
        target=_relay, args=(process.stdout, f"[{server.edition}] ", echo), daemon=True
    ).start()
    return process


def _relay(stream: IO[str], prefix: str, echo: Callable[[str], None]) -> None:
    for line in stream:
        echo(prefix + line.rstrip("\n"))


def _stop(process: subprocess.Popen[str]) -> None:
    """Ask `mkdocs serve` to stop as Ctrl-C would, so it removes its temporary site."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before
