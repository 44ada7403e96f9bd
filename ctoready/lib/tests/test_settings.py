"""Production settings are safe by default, and every response carries security headers."""

import re
import secrets
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from ctoready.testing.processes import run_cli

ROOT = Path(__file__).resolve().parents[3]


def run_ctoready(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    drop = {"DEBUG", "SECRET_KEY", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return run_cli(*args, drop=drop, **env)


def deploy_check(**env: str) -> subprocess.CompletedProcess[str]:
    """``check --deploy``, failing on warnings too, with a good secret key."""
    return run_ctoready(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50), **env
    )


def test_production_profile_passes_the_deploy_check():
    result = deploy_check(
        ALLOWED_HOSTS="ctoready.example.org", SITE_URL="https://ctoready.example.org"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_requires_a_site_url():
    result = run_ctoready("check", "--deploy", SECRET_KEY=secrets.token_urlsafe(50), SITE_URL="")
    assert result.returncode == 1
    assert "ctoready.E001" in result.stderr and "SITE_URL is required" in result.stderr


def test_the_deploy_check_warns_when_a_proxy_is_not_trusted():
    result = deploy_check(SITE_URL="https://ctoready.example.org", BEHIND_PROXY="true")
    assert result.returncode == 1
    assert "ctoready.W001" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_ctoready("check")
    assert result.returncode == 2
    assert "SECRET_KEY is required" in result.stderr
    assert "Traceback" not in result.stderr


def test_development_generates_a_secret_key_once(tmp_path):
    first, second = (
        run_ctoready(
            "shell",
            "-c",
            "from django.conf import settings; print(settings.SECRET_KEY)",
            DEBUG="true",
            VAR_DIR=str(tmp_path),
        )
        for _ in range(2)
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_bad_boolean_is_a_clear_error():
    result = run_ctoready("check", DEBUG="maybe")
    assert result.returncode == 2
    assert "DEBUG must be true or false" in result.stderr


def plain_get_routes() -> list[str]:
    """Every route without parameters, plus a missing page."""
    from ctoready.lib.tests.test_routes import url_patterns

    paths = ["/" + route for route, _ in url_patterns() if "<" not in route and "(" not in route]
    return sorted({p for p in paths if not p.startswith("/operator/")} | {"/no-such-page/"})


@pytest.mark.django_db
@pytest.mark.parametrize("path", plain_get_routes())
def test_security_headers_on_every_page(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp or "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer"}
    assert response.headers["X-Frame-Options"] == "DENY"


def test_hsts_is_on_in_production(settings, client, db):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_sqlite_is_configured_for_concurrent_writers(settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in options["init_command"]
        assert "synchronous=NORMAL" in options["init_command"]


def test_every_setting_read_from_the_environment_is_documented():
    settings_source = (ROOT / "ctoready" / "settings.py").read_text()
    names = set(re.findall(r'env(?:bool|int|str|list)\("([A-Z_]+)"', settings_source))
    documented = (ROOT / "docs" / "configuration.md").read_text()
    assert names
    assert sorted(n for n in names if f"`{n}`" not in documented) == []


def test_sqlite_busy_timeout_is_the_configured_one(tmp_path):
    result = run_ctoready(
        "shell",
        "-c",
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])",
        DEBUG="true",
        VAR_DIR=str(tmp_path),
        SQLITE_BUSY_TIMEOUT="3",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "3000"
