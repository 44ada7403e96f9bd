"""The layers of docs/architecture.md, enforced on every import in the code (tests aside)."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
APPS = (
    "instruments",
    "assessments",
    "reports",
    "raters",
    "orgs",
    "analytics",
    "api",
    "terminal",
    "guides",
)
# package -> what its code may not import (a prefix of the dotted name).
FORBIDDEN = {
    "scoring": ("django", "ctoready"),
    "lib": tuple(f"ctoready.{app}" for app in (*APPS, "privacy", "testing")),
    "instruments": tuple(
        f"ctoready.{app}" for app in ("assessments", "reports", "raters", "orgs", "api", "terminal")
    ),
    "raters": ("ctoready.reports",),
}
API_USERS = {"api", "terminal"}  # nothing else builds on the API
ALLOWED_IN_SCORING = ("ctoready.scoring",)


def modules(package: str) -> list[Path]:
    return [
        path
        for path in sorted((PACKAGE / package).rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def imported(path: Path) -> set[str]:
    """Every module name an import statement in the file names (absolute ones)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def breaks(name: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> bool:
    def under(prefix: str) -> bool:
        return name == prefix or name.startswith(prefix + ".")

    return any(under(p) for p in forbidden) and not any(under(p) for p in allowed)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_layer_imports_only_what_it_may(package):
    allowed = ALLOWED_IN_SCORING if package == "scoring" else ()
    found = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in modules(package)
        for name in sorted(imported(path))
        if breaks(name, FORBIDDEN[package], allowed)
    ]
    assert found == []


def test_the_api_sits_on_top():
    users = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for package in (*APPS, "lib", "scoring")
        if package not in API_USERS
        for path in modules(package)
        for name in sorted(imported(path))
        if breaks(name, ("ctoready.api",))
    ]
    assert users == []


def test_the_rule_finder_sees_a_forbidden_import(tmp_path):
    # Guards the tests above: a lib module importing an app is reported.
    bad = tmp_path / "helper.py"
    bad.write_text("from ctoready.assessments.models import Attempt\nimport django.db\n")
    names = imported(bad)
    assert "ctoready.assessments.models" in names
    assert breaks("ctoready.assessments.models.Attempt", FORBIDDEN["lib"])
    assert breaks("django.db", FORBIDDEN["scoring"])
    assert not breaks("ctoready.scoring.irt", FORBIDDEN["scoring"], ALLOWED_IN_SCORING)


SNAPSHOT_KEY = re.compile(
    r"""\[\s*["'](result|parts|choices|option_order)["']\s*\]|"""
    r"""\.get\(\s*["'](result|parts|choices|option_order)["']"""
)
SNAPSHOT_READER = PACKAGE / "reports" / "snapshot.py"


def test_report_snapshots_are_read_only_through_the_reader():
    """``Report.data`` is read by ``reports/snapshot.py`` alone; the rest uses its types."""
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for package in (*APPS, "lib")
        for path in modules(package)
        if path != SNAPSHOT_READER
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SNAPSHOT_KEY.search(line)
    ]
    assert found == []
    assert SNAPSHOT_KEY.search('result = report.data["result"]["scales"]')
    assert SNAPSHOT_KEY.search("parts = data.get('parts', {})")


def test_serving_pages_loads_neither_scipy_stats_nor_typst():
    """A web worker imports every view with the URLconf; what only some requests use loads
    on first use (scipy.stats ~40 MB, Typst ~30 MB: the worker's memory target)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); import ctoready.urls; "
        "print(sorted(m for m in ('scipy.stats', 'typst') if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ctoready.settings", "SECRET_KEY": "x" * 50}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_every_file_the_app_reads_is_in_the_package_data():
    """An installed (not editable) copy carries only the files pyproject.toml names: a
    template, stylesheet, catalogue or typesetting file it leaves out works in a checkout
    and fails in production. The .po source and test data need not ship."""
    import fnmatch
    import tomllib

    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    left_out = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and path.suffix not in {".py", ".pyc", ".po"}
        and "tests" not in path.relative_to(PACKAGE).parts
        and "__pycache__" not in path.parts
        and not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)
    )
    assert left_out == []
