"""A command driven through a pseudo-terminal, as a person at a keyboard would."""

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        master, slave = pty.openpty()
        self.fd = master
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ctoready.cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "COLUMNS": "100", "LINES": "40", **env},
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = ""  # everything printed so far, without escape codes
        self.pos = 0  # how far expect() has matched

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the other side closed: the process ended
            return False
        if not chunk:
            return False
        self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))
        return True

    def expect(self, pattern: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.seen, self.pos)
            if match:
                self.pos = match.end()
                return match.group(0)
            left = deadline - time.monotonic()
            more = left > 0 and self._read(min(left, 0.5))
            ended = not more and self.process.poll() is not None
            if (left <= 0 or ended) and not regex.search(self.seen, self.pos):
                raise AssertionError(f"never saw {pattern!r}; got:\n{self.seen[-3000:]}")

    def send(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode())

    def answer(self, prompt: str, line: str) -> None:
        self.expect(prompt)
        self.send(line)

    def wait(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        while self._read(0.1):
            pass
        os.close(self.fd)
        if self.process.poll() is None:
            self.process.kill()
            raise AssertionError(f"still running; got:\n{self.seen[-3000:]}")
        return self.process.returncode
