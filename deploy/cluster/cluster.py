"""`make cluster` / `make cluster-test`: the production topology on one machine.

A throwaway PostgreSQL (scripts/with-postgres, around this script), nginx with the
reference configuration (deploy/nginx/ctoready-locations.conf), two app servers
(`ctoready serve --no-worker`) and two task workers (`ctoready worker`), all on 127.0.0.1.
Every process is started in its own process group and stopped as a group when this script
ends, whatever the reason (an error, Ctrl-C, SIGTERM; the kernel's parent-death signal
covers this script being killed). Usage:

    scripts/with-postgres .venv/bin/python deploy/cluster/cluster.py up|test
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = sys.executable
BASE_PORT = int(os.environ.get("CLUSTER_PORT", "25460"))
INSTRUMENT = ROOT / "benchmarks" / "bench-instrument.yaml"
NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log {dir}/nginx-access.log;
    client_body_temp_path {dir}/nginx-tmp/body;
    proxy_temp_path {dir}/nginx-tmp/proxy;
    fastcgi_temp_path {dir}/nginx-tmp/fastcgi;
    uwsgi_temp_path {dir}/nginx-tmp/uwsgi;
    scgi_temp_path {dir}/nginx-tmp/scgi;
    upstream ctoready {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        set $ctoready_var {var};
        # For the checks only: which app server answered.
        add_header X-Upstream $upstream_addr always;
        include {locations};
    }}
}}
"""


def _die_with_parent() -> None:
    """In the child: SIGTERM when the cluster script goes away, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _running_in_group(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # pid (comm) state ppid pgrp ...; comm may hold spaces, so split after ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def wait_gone(self, timeout: float = 10) -> None:
        """Until no process of the group is left running (zombies hold no sockets)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _running_in_group(self.popen.pid):
            time.sleep(0.05)

    def tail(self, lines: int = 15) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Cluster:
    dir: Path
    nginx_port: int = BASE_PORT
    app_ports: tuple[int, ...] = (BASE_PORT + 2, BASE_PORT + 3)
    workers: int = 2
    processes: dict[str, Process] = field(default_factory=dict)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def var(self) -> Path:
        return self.dir / "var"

    @property
    def mail(self) -> Path:
        return self.dir / "mail"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PORT", "HOST"}}
        env.update(
            SECRET_KEY=self.secret,
            DATABASE_URL=os.environ["DATABASE_URL"],
            ALLOWED_HOSTS="127.0.0.1",
            SITE_URL=self.url,
            HTTPS="false",
            BEHIND_PROXY="true",
            TRUSTED_PROXIES="127.0.0.1",
            STATIC_MANIFEST="true",
            VAR_DIR=str(self.var),
            EMAIL_FILE_PATH=str(self.mail),
            TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            LOG_LEVEL="WARNING",
            WEB_CONCURRENCY="1",
            WEB_THREADS="4",
            PYTHONPATH=str(ROOT),
            DJANGO_SETTINGS_MODULE="ctoready.settings",
        )
        return env

    def ctoready(self, *args: str) -> None:
        result = subprocess.run(
            [PYTHON, "-m", "ctoready.cli", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"ctoready {' '.join(args)} failed:\n{result.stderr[-2000:]}")

    def prepare(self) -> None:
        """A fresh database with the benchmark instrument, and the static files collected."""
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
        options = cfg.get("OPTIONS") or {}
        with psycopg.connect(
            dbname="postgres",
            host=cfg.get("HOST") or options.get("host"),
            port=cfg.get("PORT") or options.get("port"),
            user=cfg.get("USER") or None,
            autocommit=True,
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
        self.ctoready("migrate", "--no-input", "-v0")
        self.ctoready("collectstatic", "--no-input", "-v0")
        self.ctoready("instrument", "import", str(INSTRUMENT))

    def spawn(self, name: str, command: list[str]) -> Process:
        log = self.dir / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self.processes[name] = Process(name, popen, log)
        return self.processes[name]

    def start_app(self, index: int) -> Process:
        port = self.app_ports[index]
        cli = [PYTHON, "-m", "ctoready.cli"]
        return self.spawn(f"app{index + 1}", [*cli, "serve", "--no-worker", "--port", str(port)])

    def start_worker(self, index: int) -> Process:
        cli = [PYTHON, "-m", "ctoready.cli"]
        return self.spawn(f"worker{index + 1}", [*cli, "worker", "--worker-id", f"w{index + 1}"])

    def start_nginx(self) -> Process:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
        mime = Path("/etc/nginx/mime.types")
        servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in self.app_ports
        )
        conf = self.dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                dir=self.dir,
                mime=mime if mime.exists() else ROOT / "deploy" / "cluster" / "mime.types",
                servers=servers,
                port=self.nginx_port,
                var=self.var,
                locations=ROOT / "deploy" / "nginx" / "ctoready-locations.conf",
            )
        )
        check = subprocess.run(
            [nginx, "-t", "-q", "-p", str(self.dir), "-c", str(conf), "-e", "stderr"],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration:\n{check.stderr}")
        return self.spawn("nginx", [nginx, "-p", str(self.dir), "-c", str(conf), "-e", "stderr"])

    def wait_ready(self, port: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/readyz", headers={"Host": "127.0.0.1"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            dead = [p.name for p in self.processes.values() if not p.alive()]
            if dead:
                raise RuntimeError(f"{', '.join(dead)} exited:\n{self.logs(dead)}")
            time.sleep(0.5)
        raise RuntimeError(f"127.0.0.1:{port} was not ready after {timeout:.0f} s")

    def start(self) -> None:
        self.prepare()
        for index in range(len(self.app_ports)):
            self.start_app(index)
        for index in range(self.workers):
            self.start_worker(index)
        for port in self.app_ports:
            self.wait_ready(port)
        self.start_nginx()
        self.wait_ready(self.nginx_port, timeout=30)

    def stop(self) -> None:
        """SIGTERM every group, then SIGKILL whatever is left after 15 s."""
        for process in self.processes.values():
            process.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            process.signal_group(signal.SIGKILL)  # stragglers in the group, if any
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(timeout=5)

    def logs(self, names: list[str] | None = None) -> str:
        chosen = [self.processes[n] for n in names] if names else self.processes.values()
        return "\n".join(f"--- {p.name} ({p.log})\n{p.tail()}" for p in chosen)


def _raise_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["up", "test"])
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("run me under scripts/with-postgres (make cluster / make cluster-test)")
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    workdir = Path(tempfile.mkdtemp(prefix="ctoready-cluster."))
    workdir.chmod(0o755)  # nginx's workers read the static files as an unprivileged user
    cluster = Cluster(workdir)
    ok = False
    try:
        started = time.monotonic()
        cluster.start()
        print(
            f"cluster up in {time.monotonic() - started:.0f} s: nginx {cluster.url} -> app servers "
            + ", ".join(f"127.0.0.1:{p}" for p in cluster.app_ports)
            + f"; {cluster.workers} task workers; PostgreSQL on a Unix socket; logs in {workdir}"
        )
        if args.mode == "up":
            print("Ctrl-C stops everything.")
            while all(p.alive() for p in cluster.processes.values()):
                time.sleep(1)
            print("a process exited:\n" + cluster.logs())
            return 1
        from checks import run_all

        ok = run_all(cluster)
        return 0 if ok else 1
    except KeyboardInterrupt:
        print("\nstopping ...")
        return 130
    except Exception as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        print(cluster.logs(), file=sys.stderr)
        return 1
    finally:
        cluster.stop()
        left = [p.name for p in cluster.processes.values() if p.alive()]
        print("stopped: " + ("all processes" if not left else f"NOT {left}"))
        if ok:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
