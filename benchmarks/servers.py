"""Start, probe and stop the servers under test, each in its own process group on 127.0.0.1.

Every server is started with ``start_new_session`` so that stopping it (or killing it
with SIGKILL, for the crash drill) reaches granian's main process, its workers and the task
worker at once, and nothing is left running.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
BENCH_VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
SECRET = secrets.token_urlsafe(50)
# Variables of a development shell that must not leak into a production-like server.
SCRUBBED = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND", "DJANGO_SETTINGS_MODULE"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {timeout:.0f} s")


@dataclass(frozen=True)
class Site:
    """One ctoready installation: a VAR_DIR and a database, production settings."""

    name: str
    database_url: str | None = None  # None: SQLite in the site's VAR_DIR
    root: Path = ROOT  # the checkout whose code it runs (another one: benchmarks/sidebyside.py)

    @property
    def var_dir(self) -> Path:
        return BENCH_VAR / self.name

    @property
    def is_postgres(self) -> bool:
        return bool(self.database_url and self.database_url.startswith("postgres"))

    @property
    def sqlite_path(self) -> Path:
        return self.var_dir / "ctoready.sqlite3"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
        env.pop("DATABASE_URL", None)
        env.update(
            SECRET_KEY=SECRET,
            HTTPS="false",
            STATIC_MANIFEST="true",
            VAR_DIR=str(self.var_dir),
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            LOG_LEVEL="WARNING",
            # Every simulated respondent comes from 127.0.0.1.
            RATE_LIMIT_STARTS_PER_MINUTE="0",
            PYTHONPATH=str(self.root),
            DJANGO_SETTINGS_MODULE="ctoready.settings",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(extra)
        return env

    def ctoready(self, *args: str, check: bool = True, **extra: str) -> str:
        result = subprocess.run(
            [PYTHON, "-m", "ctoready.cli", *args],
            cwd=self.root,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"ctoready {' '.join(args)} failed:\n{result.stderr[-2000:]}")
        return result.stdout + result.stderr

    def python(self, script: str, *args: str, **extra: str) -> str:
        """Run one of the benchmark scripts in-process with Django, against this site."""
        result = subprocess.run(
            [PYTHON, str(HERE / script), *args],
            cwd=self.root,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{script} {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def prepare(self, fresh: bool = True) -> None:
        """A new database with the benchmark instrument, and collected static files."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if fresh:
            if self.is_postgres:
                recreate_database(self.database_url or "")
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
        self.ctoready("migrate", "--no-input", "-v0")
        if not (self.var_dir / "static" / "staticfiles.json").exists():
            self.ctoready("collectstatic", "--no-input", "-v0")
        self.ctoready("instrument", "import", str(HERE / "bench-instrument.yaml"))


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # The group may outlive its leader (the server's workers, a task worker).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def kill(self) -> None:
        """SIGKILL to every process of the server at once: the crash drill."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def tree(self) -> list[int]:
        return descendants(self.process.pid)


def start(command: list[str], env: dict[str, str], name: str, cwd: Path = ROOT) -> Server:
    """Run ``command`` (``{port}`` in it becomes a free port) until it listens."""
    port = free_port()
    command = [c.replace("{port}", str(port)) for c in command]
    logs = BENCH_VAR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(  # our own interpreter and fixed arguments
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port, log)
    try:
        wait_for_port(port, process)
    except RuntimeError:
        server.stop()
        raise RuntimeError(f"{name} did not start; see {log}") from None
    return server


WORKERS = os.environ.get("WEB_CONCURRENCY", "2")
THREADS = os.environ.get("WEB_THREADS", "1")


def serve_ctoready(site: Site, *, dev: bool = False, worker: bool = True) -> Server:
    """``ctoready serve`` as in production (or ``make run``'s DEBUG=true with ``dev``)."""
    command = [PYTHON, "-m", "ctoready.cli", "serve", "--port", "{port}"]
    command += ["--workers", WORKERS, "--threads", THREADS]
    if not worker:
        command.append("--no-worker")
    extra = {"DEBUG": "true"} if dev else {}
    server = start(command, site.env(**extra), f"ctoready-{site.name}", cwd=site.root)
    wait_for_http(server, "/")
    return server


def serve_hello() -> Server:
    """The bare Django baseline under the same server settings as ``ctoready serve``."""
    command = [PYTHON, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1"]
    command += ["--port", "{port}", "--workers", WORKERS, "--blocking-threads", THREADS]
    command += ["--http", "1", "--no-ws", "--access-log", "--respawn-failed-workers"]
    command += ["--workers-kill-timeout", "10", "hello_wsgi:application"]
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env["PYTHONPATH"] = str(HERE)
    server = start(command, env, "hello")
    wait_for_http(server, "/hello/")
    return server


def wait_for_http(server: Server, path: str, timeout: float = 60) -> None:
    """The server listens before its workers have imported Django: wait for a real answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited; see {server.log}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", server.port), 10) as sock,
        ):
            sock.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
            if sock.recv(12).startswith(b"HTTP/1."):
                return
        time.sleep(0.2)
    raise RuntimeError(f"127.0.0.1:{server.port}{path} did not answer; see {server.log}")


# Processes and memory ------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children, out, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def memory_kib(pid: int) -> tuple[int, int]:
    """(resident set size, proportional set size) in KiB; PSS splits shared pages fairly."""
    rss = pss = 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss, pss


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time used so far by these processes."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def app_workers(server: Server) -> list[int]:
    """The worker processes: granian processes whose parent is granian's main process."""
    ours = {p for p in server.tree() if "granian" in cmdline(p)}
    return sorted(p for p in ours if parent(p) in ours)


# PostgreSQL ----------------------------------------------------------------------------


def pg_url(base: str, dbname: str) -> str:
    """The same server and credentials as ``base``, another database."""
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))


def _pg_admin(url: str):  # type: ignore[no-untyped-def]
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    options = cfg.get("OPTIONS") or {}  # a socket directory given as ?host= lands here
    return psycopg.connect(
        dbname="postgres",
        host=cfg.get("HOST") or options.get("host") or None,
        port=cfg.get("PORT") or options.get("port") or None,
        user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
        autocommit=True,
    ), cfg["NAME"]


def recreate_database(url: str) -> None:
    conn, name = _pg_admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    conn, name = _pg_admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
