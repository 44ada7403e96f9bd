"""Crash safety: every answer acknowledged before the server is killed with SIGKILL is
still stored when it comes back (on the database the suite runs on).

The real server (`ctoready serve`: granian with its workers) is started on 127.0.0.1,
candidates autosave through it, and the whole process group is killed mid-load. Half of
them send the page's autosave key, as htmx does, and are answered in front of Django; the
others go through the session and the view.
"""

import http.client
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from contextlib import suppress
from pathlib import Path

import pytest
from django.db import connection

from ctoready.assessments import services
from ctoready.assessments.models import Answer
from ctoready.instruments.services import import_file
from ctoready.testing.processes import database_url, free_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
MINI = ROOT / "ctoready" / "instruments" / "tests" / "data" / "mini.yaml"
ITEMS = ["st-1", "st-2", "st-3", "le-1", "le-2", "le-3", "re-1", "re-2", "re-3"]
CANDIDATES = 6
LOAD_SECONDS = 2.0


def serve(port: int, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        VAR_DIR=str(tmp_path),
        STATIC_MANIFEST="false",
    )
    command = [sys.executable, "-m", "ctoready.cli", "serve", "--port", str(port)]
    command += ["--workers", "2", "--threads", "4", "--no-worker"]
    with (tmp_path / "serve.log").open("ab") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        with suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return process
        time.sleep(0.2)
    kill(process)
    pytest.fail("the server did not answer: " + (tmp_path / "serve.log").read_text()[-2000:])


def kill(process: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


class Candidate:
    """One browser: a session opened through the resume link, then autosaves."""

    def __init__(self, base: str, public_id: str, token: str, *, with_key: bool) -> None:
        self.base, self.public_id = base, public_id
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = self.opener.open(f"{base}/r/{token}/", timeout=30).read().decode()
        self.csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        self.headers = {"X-CSRFToken": self.csrf}
        if with_key:
            found = re.search(r'"X-Autosave-Key": "([^"]+)"', page)
            assert found, "the page gives its autosaves a key"
            self.headers["X-Autosave-Key"] = found[1]
        self.acknowledged: dict[str, tuple[int, int]] = {}  # item -> (seq, value)

    def save(self, item: str, value: int, seq: int) -> bool:
        body = urllib.parse.urlencode({f"q-{item}": str(value), f"s-{item}": str(seq)})
        request = urllib.request.Request(
            f"{self.base}/a/{self.public_id}/save/",
            data=body.encode(),
            headers=self.headers,
        )
        with self.opener.open(request, timeout=30) as response:
            saved = response.status == 200 and json.load(response)["status"] == "saved"
        if saved:
            self.acknowledged[item] = (seq, value)
        return saved

    def autosave_until(self, stop: threading.Event) -> None:
        seq = 1000
        while not stop.is_set():
            seq += 1
            try:
                self.save(ITEMS[seq % len(ITEMS)], seq % 5 + 1, seq)
            except (OSError, http.client.HTTPException, ValueError):
                # The server is gone (refused, reset, or a response cut short):
                # nothing more can be acknowledged.
                return


def test_answers_acknowledged_before_sigkill_survive_a_restart(tmp_path):
    version = import_file(path=MINI).version
    attempts = [
        services.start_attempt(version=version, context="growth", locale="en")
        for _ in range(CANDIDATES)
    ]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(port, tmp_path)
    try:
        candidates = [
            Candidate(base, a.public_id, token, with_key=n % 2 == 0)
            for n, (a, token) in enumerate(attempts)
        ]
        stop = threading.Event()
        threads = [threading.Thread(target=c.autosave_until, args=(stop,)) for c in candidates]
        for thread in threads:
            thread.start()
        time.sleep(LOAD_SECONDS)
        kill(server)  # mid-load, every process of the server at once
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        server = serve(port, tmp_path)
        assert candidates[0].save("st-1", 3, 10**9)  # it serves again after the crash
    finally:
        kill(server)

    acknowledged = found = 0
    for candidate in candidates:
        stored = {
            a.item_id: (a.seq, a.value)
            for a in Answer.objects.filter(attempt__public_id=candidate.public_id)
        }
        for item, (seq, value) in candidate.acknowledged.items():
            acknowledged += 1
            # A later save may have landed without its acknowledgement reaching us.
            kept_seq, kept_value = stored.get(item, (0, None))
            found += kept_seq > seq or (kept_seq == seq and kept_value == value)
    assert acknowledged >= CANDIDATES  # the load did run before the kill
    assert found == acknowledged
