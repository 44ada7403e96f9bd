"""The operator commands: report and apitoken; and every command is documented."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ctoready.api.auth import principal_for
from ctoready.api.models import ApiToken
from ctoready.lib.tokens import hash_token

CLI_DOC = Path(settings.BASE_DIR) / "docs" / "cli.md"


def test_every_command_is_documented_in_cli_md():
    commands = {
        path.stem
        for path in Path(settings.BASE_DIR, "ctoready").glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    }
    assert {"take", "report", "apitoken"} <= commands
    documented = set(re.findall(r"^## ctoready (\w+)$", CLI_DOC.read_text(), re.MULTILINE))
    assert commands - documented == set(), "add these to docs/cli.md"
    assert documented - commands == set(), "docs/cli.md documents commands that do not exist"


@pytest.mark.parametrize("fmt", ["json", "pdf", "html"])
def test_report_writes_each_format(finished_alice, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    call_command("report", finished_alice.id, "--format", fmt, "-o", str(out), stderr=StringIO())
    body = out.read_bytes()
    if fmt == "json":
        assert json.loads(body)["attempt"]["id"] == finished_alice.id
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        html = body.decode()
        assert "<style>" in html and 'rel="stylesheet"' not in html
        assert "Technology strategy" in html


def test_report_refuses_unknown_and_unfinished_attempts(alice):
    with pytest.raises(CommandError, match="No attempt"):
        call_command("report", "nope", stderr=StringIO())
    with pytest.raises(CommandError, match="not finished"):
        call_command("report", alice.id, stderr=StringIO())


def test_apitoken_create_list_revoke(carol, olivia):
    out = StringIO()
    call_command(
        "apitoken", "create", "--user", "OLIVIA@example.com", stdout=out, stderr=StringIO()
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(token_hash=hash_token(raw))
    assert token.user == olivia[0] and raw not in str(ApiToken.objects.values_list())
    principal = principal_for(raw)
    assert principal is not None and principal.is_operator
    listing = StringIO()
    call_command("apitoken", "list", "--user", "olivia@example.com", stdout=listing)
    assert raw not in listing.getvalue() and str(token.pk) in listing.getvalue()
    call_command("apitoken", "revoke", str(token.pk), stderr=StringIO())
    assert principal_for(raw) is None
    with pytest.raises(CommandError, match="No user"):
        call_command("apitoken", "create", "--user", "nobody@example.com")
