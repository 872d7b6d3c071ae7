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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any

from storybook.core.editions import (
    BY_NAME,
    CONSOLE_URL_VARIABLE,
    EDITION_VARIABLE,
    FACILITATOR_EDITION,
    JOIN_URL_VARIABLE,
    LEARNER_EDITION,
    PROBLEM_BANNER_VARIABLE,
    PROJECTOR_URL_VARIABLE,
    ROOM_EDITION_VARIABLE,
    ROOM_VARIABLES,
    Edition,
    is_loopback,
)
from storybook.core.errors import RoomError, StorybookError

LOCAL = "127.0.0.1"
# Where a problem with the command itself (not a file) is reported.
COMMAND = Path("storybook serve")
STOP_SECONDS = 15
# Hosts that mean "every address of this machine": nobody can type them on a phone.
ANY_ADDRESS = ("0.0.0.0", "::", "")
# A private address to "connect" a UDP socket to: no packet is sent, but the system picks the
# address of the network interface it would use, which is the one participants can reach.
_PROBE = ("10.254.254.254", 1)


@dataclass(frozen=True)
class Server:
    edition: Edition
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def local_url(self) -> str:
        """Its address as a browser on this machine opens it (never 0.0.0.0)."""
        host = LOCAL if self.host in ANY_ADDRESS else self.host
        return f"http://{host}:{self.port}/"


def lan_address() -> str | None:
    """This machine's address on the room's network, found without sending anything."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(_PROBE)
            address = str(probe.getsockname()[0])
        except OSError:
            address = ""
    if address and not is_loopback(address) and address not in ANY_ADDRESS:
        return address
    try:
        found = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return None
    for *_, sockaddr in found:
        candidate = str(sockaddr[0])
        if not is_loopback(candidate):
            return candidate
    return None


def join_url(server: Server) -> str | None:
    """The address participants type to open the learner edition; None when it is served on
    this machine only (127.0.0.1), or when the machine has no network address."""
    if server.edition.local_only or is_loopback(server.host):
        return None
    host = lan_address() if server.host in ANY_ADDRESS else server.host
    if host is None:
        return None
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{server.port}/"


def server_environment(server: Server, servers: list[Server]) -> dict[str, str]:
    """What each `mkdocs serve` of the room is told: its edition, where the other edition is,
    and (learner edition, in the room) to keep problems off the projector."""
    env = {EDITION_VARIABLE: server.edition.name}
    others = [other for other in servers if other is not server]
    # The console is the other edition with facilitator material; the projector the one without.
    console = next((other for other in others if other.edition.shows_facilitator), None)
    projector = next((other for other in others if not other.edition.shows_facilitator), None)
    if not server.edition.shows_facilitator:
        joining = join_url(server)
        if joining:
            env[JOIN_URL_VARIABLE] = joining
        if console is not None:
            env[CONSOLE_URL_VARIABLE] = console.local_url
            env[PROBLEM_BANNER_VARIABLE] = "off"
    elif projector is not None:
        env[PROJECTOR_URL_VARIABLE] = projector.local_url
    return env


def child_environment(
    server: Server, servers: list[Server], inherited: Mapping[str, str]
) -> dict[str, str]:
    """The whole environment of one server's `mkdocs serve`. Every room variable in it is the
    room's (the plugin lets them win over mkdocs.yml): none comes from the shell."""
    return {
        **{name: value for name, value in inherited.items() if name not in ROOM_VARIABLES.values()},
        **server_environment(server, servers),
        # Checked by the plugin on every rebuild, whatever mkdocs.yml comes to say.
        ROOM_EDITION_VARIABLE: server.edition.name,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }


def room_servers(host: str, port: int, facilitator_port: int) -> list[Server]:
    if port == facilitator_port:
        raise RoomError(
            COMMAND,
            f"the two editions need two ports, not {port} twice",
            "choose another port with --port or --facilitator-port",
            line=0,
        )
    return [
        Server(LEARNER_EDITION, host, port),
        Server(FACILITATOR_EDITION, LOCAL, facilitator_port),
    ]


def single_server(edition: Edition, host: str, port: int) -> list[Server]:
    """One edition alone; a local-only edition on 127.0.0.1 whatever ``host`` says."""
    return [Server(edition, LOCAL if edition.local_only else host, port)]


def check_config_follows_edition(config_file: Path) -> None:
    """Refuse to start unless mkdocs.yml really takes its edition from STORYBOOK_EDITION.

    A hard-coded ``edition: facilitator`` would put facilitator notes on the projector.
    """
    if _plainly_follows_the_edition(config_file):
        return
    _check_as_mkdocs_reads_it(config_file)


def _plainly_follows_the_edition(config_file: Path) -> bool:
    """Whether mkdocs.yml itself, read as YAML, takes the storybook plugin's edition from
    STORYBOOK_EDITION: the usual case, told without MkDocs loading the configuration and its
    plugins once per edition (more than a second before any server starts). Anything else
    (the plugin in an inherited configuration, a file YAML cannot read, another edition, no
    plugin) is left to :func:`_check_as_mkdocs_reads_it`, which says what MkDocs sees."""
    from storybook.core.project import plugin_options
    from storybook.core.siteconfig import read_config, resolve_env

    try:
        config = read_config(config_file)
    except StorybookError:
        return False
    # An inherited file merges its plugins into these; a second instance of the plugin
    # (MkDocs loads "/storybook" as storybook too) builds pages with its own edition; an
    # "enabled" option may turn the plugin off: only MkDocs can say what those make.
    if "INHERIT" in config or _plugin_entries(config) != 1:
        return False
    options = plugin_options(config)
    if "enabled" in options:
        return False
    option = options.get("edition")
    for edition in BY_NAME.values():
        with _environment(EDITION_VARIABLE, edition.name):
            if resolve_env(option) != edition.name:
                return False
    return True


def _plugin_entries(config: dict[str, Any]) -> int:
    """How many entries under plugins: load the storybook plugin ("/storybook" too)."""
    from storybook.core.project import PLUGIN, plugin_entries

    return sum(
        1
        for name, _ in plugin_entries(config)
        if isinstance(name, str) and name.lstrip("/") == PLUGIN
    )


def _check_as_mkdocs_reads_it(config_file: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    for edition in BY_NAME.values():
        with _environment(EDITION_VARIABLE, edition.name):
            try:
                config = load_config(str(config_file))
            # Abort: a value MkDocs refuses (it has logged which one, and why).
            except (ConfigurationError, Abort) as exc:
                raise RoomError(
                    config_file,
                    f"this configuration cannot be read ({exc})",
                    "fix it, then start again",
                ) from None
        plugin = config.plugins.get("storybook")
        if any(name.startswith("storybook #") for name in config.plugins):
            # MkDocs runs every instance: the second one's edition would be built too.
            raise RoomError(
                config_file,
                "this configuration lists the storybook plugin more than once",
                "keep one storybook entry under plugins:, with "
                f"edition: !ENV [{EDITION_VARIABLE}, learner]",
            )
        if plugin is None:
            raise RoomError(
                config_file,
                "this configuration does not use the storybook plugin",
                "add storybook under plugins:",
            )
        if getattr(plugin.config, "edition", None) != edition.name:
            raise RoomError(
                config_file,
                f"this configuration does not take the edition from {EDITION_VARIABLE}",
                f"under the storybook plugin write edition: !ENV [{EDITION_VARIABLE}, learner]",
            )


def check_ports_free(servers: list[Server]) -> None:
    for server in servers:
        with socket.socket() as sock:
            # As MkDocs' server binds: a port that was just served (connections of the last
            # run still closing) is free, one another server listens on is not. Not on
            # Windows, where the option lets two servers share a port.
            if os.name == "posix":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
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
            processes.append((server, _start(server, servers, config_file, echo)))
        for server in servers:
            echo(
                f"The {server.edition.name} edition will be served on {server.local_url} "
                "as soon as it is built"
            )
        for server in servers:
            _say_how_to_join(server, echo)
        echo("Press Ctrl-C to stop.")
        while True:
            for server, process in processes:
                if process.poll() is not None:
                    echo(f"The {server.edition.name} edition stopped; stopping the room.")
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


def _say_how_to_join(server: Server, echo: Callable[[str], None]) -> None:
    if server.edition.local_only or is_loopback(server.host):
        return
    url = join_url(server)
    if url is None:
        echo("Participants cannot join from their phones: this machine has no network address.")
        return
    echo(f"Participants open {url} on their phones (the projector's first slide shows it too).")
    # Here, not above: the room's pages are the plugin's, which the servers import themselves.
    from storybook.core.room_pages import join_qr_terminal

    # A terminal that cannot draw the blocks of a QR code still has the address.
    with contextlib.suppress(UnicodeEncodeError):
        echo(join_qr_terminal(url).rstrip("\n"))


def _start(
    server: Server, servers: list[Server], config_file: Path, echo: Callable[[str], None]
) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        serve_command(server, config_file),
        env=child_environment(server, servers, os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        bufsize=1,
        # Its own process group: Ctrl-C reaches the room, which stops each server once, cleanly.
        start_new_session=True,
    )
    assert process.stdout is not None
    threading.Thread(target=_relay, args=(process.stdout, server, echo), daemon=True).start()
    return process


# What `mkdocs serve` logs once its first build is done and it answers.
SERVING = "Serving on http"


def _relay(stream: IO[str], server: Server, echo: Callable[[str], None]) -> None:
    """Each line of one server, named by its edition; and when it answers, say so: each
    edition answers as soon as its own site is built, whatever the other does."""
    prefix = f"[{server.edition.name}] "
    ready = False
    for line in stream:
        echo(prefix + line.rstrip("\n"))
        if not ready and SERVING in line:
            ready = True
            echo(f"The {server.edition.name} edition is ready on {server.local_url}")


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
