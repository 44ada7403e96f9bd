"""ctoready run in a fresh process, as an operator would, against the suite's database."""

import os
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
