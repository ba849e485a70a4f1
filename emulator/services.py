"""`make services`: the project's real data stores on 127.0.0.1 for people, until Ctrl-C.

Starts every launcher present in emulator/ (Neo4j always; OpenSearch once emulator/opensearch.py exists),
prints where each answers and where its generated password is kept (never the password itself), and stops
them all on Ctrl-C, SIGTERM or when one of them dies. Exit 0 after Ctrl-C, 1 if a server failed.

    python -m emulator.services [--build-dir build]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# emulator.<name> with start(base_dir, say) -> a server with stop(); each launcher's base folder in build/
# (OpenSearch keeps its install there, shared with the tests).
LAUNCHERS = {"neo4j": Path("services") / "neo4j", "opensearch": Path()}
SHOWN = ("bolt_uri", "url", "endpoint_url", "user", "password_file", "ca_cert", "log", "data_dir")


def present(names: Sequence[str] = tuple(LAUNCHERS)) -> list[str]:
    return [name for name in names if importlib.util.find_spec(f"emulator.{name}") is not None]


def password_file(server: Any, directory: Path) -> Path | None:
    """Where the server's password is kept: its own file, else one written here (0600) from its password."""
    own = getattr(server, "password_file", None)
    if own is not None:
        return Path(own)
    password = getattr(server, "password", None)
    if not password:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "password"
    path.touch(mode=0o600)
    path.write_text(str(password))
    return path


def describe(name: str, server: Any, secret: Path | None) -> list[str]:
    """What a person needs to connect: the addresses, the user, where the password and CA are."""
    lines = [f"{name}:"]
    for attribute in SHOWN:
        value = secret if attribute == "password_file" else getattr(server, attribute, None)
        if value is not None and value != "":
            lines.append(f"  {attribute:<14} {value}")
    seconds = getattr(server, "startup_seconds", None)
    if seconds is not None:
        lines.append(f"  {'started in':<14} {seconds:.1f}s")
    return lines


def _died(server: Any) -> bool:
    process = getattr(server, "process", None)
    return process is not None and process.poll() is not None


def serve(build_dir: Path, say: Callable[[str], None], names: Sequence[str]) -> int:
    started: list[tuple[str, Any]] = []
    password_dir = build_dir / "services"
    try:
        for name in names:
            module = importlib.import_module(f"emulator.{name}")
            server = module.start(build_dir / LAUNCHERS[name], say)
            started.append((name, server))
            secret = password_file(server, password_dir / name)
            for line in describe(name, server, secret):
                say(line)
        say("running; Ctrl-C stops them")
        while True:
            for name, server in started:
                if _died(server):
                    tail = server.log_tail() if hasattr(server, "log_tail") else ""
                    say(f"error: {name} stopped unexpectedly\n{tail}")
                    return 1
            time.sleep(2)
    except KeyboardInterrupt:
        say("stopping")
        return 0
    except Exception as error:  # a launcher's one-line reason (with its log tail), never a traceback
        say(f"error: {error}")
        return 1
    finally:
        for name, server in reversed(started):
            server.stop()
            (password_dir / name / "password").unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emulator.services", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started in the background
    names = present()
    if not names:
        print("error: no launcher found in emulator/", file=sys.stderr)
        return 2
    return serve(args.build_dir, lambda line: print(line, flush=True), names)


if __name__ == "__main__":
    sys.exit(main())
