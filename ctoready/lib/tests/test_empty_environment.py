"""Help and the commands that compute on files run with no environment at all."""

import subprocess
import sys
from pathlib import Path

import pytest

from ctoready.instruments.tests.conftest import MINI

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ROOT / "ctoready" / "instruments" / "content" / "cto-readiness.yaml"
BFI = ROOT / "ctoready" / "analytics" / "tests" / "data" / "bfi-agreeableness-conscientiousness.csv"


def run_python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Python with an empty environment: no variable at all, not even PATH or HOME."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env={},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_bare(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_python("-m", "ctoready.cli", *args, cwd=cwd)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--help"], "Type 'ctoready help <subcommand>'"),
        (["help", "stats"], "reliability"),
        (["take", "--help"], "--url"),
        (["report", "--help"], "--format"),
        (["serve", "--help"], "--workers"),
        (["instrument", "validate", str(SHIPPED)], ": ok — "),
        (
            ["stats", "reliability", str(BFI), "--scale", "a=A1,A2,A3,A4,A5", "--reverse", "A1"],
            '"alpha"',
        ),
        (["simulate", str(MINI), "--n", "50"], '"minutes"'),
        (["calibrate", str(BFI), "--items", "A2,A3,A4,A5"], '"A5"'),
    ],
)
def test_command_runs_without_any_configuration(tmp_path, args, expected):
    result = run_bare(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["instrument", "list"],
        ["simulate", "--instrument", "mini", "--n", "50"],
        ["take"],
        ["report", "nope", "--format", "json"],
        ["serve"],
    ],
)
def test_serving_and_database_commands_ask_for_the_secret_key(tmp_path, args):
    result = run_bare(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr
        == "ctoready: configuration error: SECRET_KEY is required when DEBUG is off.\n"
    )


def test_the_web_application_refuses_to_load_without_a_secret_key(tmp_path):
    result = run_python("-c", "import ctoready.wsgi", cwd=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off." in result.stderr
