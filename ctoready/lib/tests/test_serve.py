"""`ctoready serve` as production runs it: a web worker that dies is replaced, SIGTERM
stops everything it started, gracefully and soon, and a size that cannot be is refused."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress

import pytest
from django.db import connection

from ctoready.testing.processes import ROOT, database_url, free_port, run_cli, running_in_group

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _web_workers(pgid: int) -> list[int]:
    """The web server's worker processes: granian processes whose parent is granian."""
    group = running_in_group(pgid)
    web = {pid for pid, (_, command) in group.items() if "granian" in command}
    return sorted(pid for pid in web if group[pid][0] in web)


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
        commands = [command for _, command in running_in_group(process.pid).values()]
        assert any("ctoready.cli worker" in c for c in commands), log.read_text()[-3000:]

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        # Nothing it started is left running.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and running_in_group(process.pid):
            time.sleep(0.1)
        assert not running_in_group(process.pid)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("args", "env", "refusal"),
    [
        (["--workers", "0"], {}, "argument --workers: '0' is not a whole number of at least 1"),
        (["--threads", "two"], {}, "argument --threads: 'two' is not a whole number"),
        (
            [],
            {"WEB_THREADS": "-1"},
            "'-1' is not a whole number of at least 1 (from the flag or WEB_THREADS)",
        ),
        ([], {"WEB_CONCURRENCY": "many"}, "(from the flag or WEB_CONCURRENCY)"),
    ],
)
def test_a_size_that_cannot_be_is_refused_before_anything_starts(args, env, refusal):
    done = run_cli("serve", "--port", str(free_port()), *args, **env)
    assert done.returncode == 2
    assert refusal in done.stderr
    assert "serving on" not in done.stdout
