"""ctoready run in a fresh process, as an operator would, against the suite's database."""

import os
import socket
import subprocess
import sys
import urllib.parse
from collections.abc import Iterable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, drop: Iterable[str] = (), **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m ctoready.cli ARGS`` from the repository root, with this process's
    environment less the variables in ``drop`` and with ``env`` added."""
    dropped = set(drop)
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    return subprocess.run(  # noqa: S603 (our own CLI, arguments from the tests)
        [sys.executable, "-m", "ctoready.cli", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def database_url(name: str) -> str:
    """A DATABASE_URL for database ``name`` on the server the suite uses."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    where = {k: db[k.upper()] or db["OPTIONS"].get(k) for k in ("host", "port")}
    query = urllib.parse.urlencode({k: v for k, v in where.items() if v})
    return f"postgres://{user}{password}@/{name}?{query}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def running_in_group(pgid: int) -> dict[int, tuple[int, str]]:
    """The processes of group ``pgid`` still running (zombies left out): pid to (parent
    pid, command line)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (comm) state ppid pgrp ...; comm may hold spaces, so split after ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found[int(stat.parent.name)] = (int(fields[1]), command.strip())
    return found
