"""`ctoready serve` as production runs it: a web worker that dies is replaced, and SIGTERM
stops everything it started, gracefully and soon."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

import pytest
from django.db import connection

from ctoready.lib.tests.test_crash_safety import ROOT, free_port
from ctoready.testing.processes import database_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError, IndexError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree(pid: int) -> list[int]:
    children, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _cmdline(pid: int) -> str:
    with suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def _web_workers(serve_pid: int) -> list[int]:
    """The web server's worker processes: children of its main process."""
    tree = _tree(serve_pid)
    web = [p for p in tree if "granian" in _cmdline(p)]
    main = [p for p in web if p in _children().get(serve_pid, [])]
    return sorted(p for p in web if p not in main)


def _answers(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        url = f"http://127.0.0.1:{port}/healthz"
        with suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return True
        time.sleep(0.2)
    return False


def test_a_dead_web_worker_is_replaced_and_sigterm_stops_everything(tmp_path):
    port = free_port()
    # The task worker needs the database queue, not the suite's immediate backend.
    scrubbed = {"DEBUG", "DATABASE_URL", "TASKS_BACKEND"}
    env = {k: v for k, v in os.environ.items() if k not in scrubbed}
    env.update(
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        VAR_DIR=str(tmp_path),
        STATIC_MANIFEST="false",
    )
    command = [sys.executable, "-m", "ctoready.cli", "serve", "--port", str(port)]
    command += ["--workers", "1", "--threads", "1"]
    log = tmp_path / "serve.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        assert _answers(port, 30), log.read_text()[-2000:]
        (worker,) = _web_workers(process.pid)
        os.kill(worker, signal.SIGKILL)
        # Another worker takes its place and answers; the task worker runs on.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _web_workers(process.pid) in ([], [worker]):
            time.sleep(0.2)
        (replacement,) = _web_workers(process.pid)
        assert replacement != worker
        assert _answers(port, 30), log.read_text()[-2000:]
        started = _tree(process.pid)
        assert any("ctoready.cli worker" in _cmdline(p) for p in started), log.read_text()[-3000:]

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        # Nothing it started is left running.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in started):
            time.sleep(0.1)
        left = [p for p in started if Path(f"/proc/{p}").exists() and _cmdline(p)]
        assert not left, [_cmdline(p) for p in left]
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
