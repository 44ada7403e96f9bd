"""``ctoready take`` end to end in a pseudo-terminal: quit midway, resume, finish, and
find the report in the terminal and on disk; against the database and against a server."""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from ctoready.assessments.models import Answer, Attempt
from ctoready.instruments.services import import_file
from ctoready.terminal.tests.pty_terminal import Terminal
from ctoready.testing import MINI

# The answers typed, in page order: (prompt, keys).
FIRST_SITTING = [("Your answer", "2"), ("Your answer", "5"), ("Your answer", "1")]
SECOND_SITTING = [
    ("Your answer", "n"),  # re-1: no opportunity yet
    ("Your answer", "5"),  # st-2
    ("Your answer", "s"),  # le-2: skipped
    ("Your answer", "3"),
    ("Your answer", "1"),
    ("Your answer", "5"),
    ("Your answer", "n"),
    ("Most effective", "2"),
    ("Least effective", "3"),
    ("Your answer", "1"),
    ("Your answer", "3"),
    ("Your answer", "2"),
]


def _env(tmp_path: Path) -> dict[str, str]:
    """The child process uses the test database, whichever engine the suite runs on."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"DATABASE_URL": f"sqlite:///{db['NAME']}"}
    url = urlsplit(os.environ["DATABASE_URL"])
    return {"DATABASE_URL": urlunsplit(url._replace(path="/" + db["NAME"]))}


def _take(tmp_path: Path, *extra: str) -> Terminal:
    args = ["take", "--state", str(tmp_path / "take.json"), "--out", str(tmp_path), *extra]
    return Terminal(args, _env(tmp_path), cwd=tmp_path)


def _journey(tmp_path: Path, *extra: str) -> Attempt:
    first = _take(tmp_path, *extra)
    first.answer(r"Your choice", "2")  # the context: Growth stage
    first.expect("Page 1 of 5: About you")
    for prompt, keys in FIRST_SITTING:
        first.answer(prompt, keys)
    first.answer("Your answer", "q")
    first.expect("Your answers are saved")
    assert first.wait() == 0
    attempt = Attempt.objects.get()
    assert attempt.context == "growth"
    assert dict(Answer.objects.values_list("item_id", "value")) == {
        "bg-years": "few",
        "st-1": 5,
        "le-1": 1,
    }
    state = json.loads((tmp_path / "take.json").read_text())
    assert next(iter(state.values()))["attempt"] == attempt.public_id
    assert (tmp_path / "take.json").stat().st_mode & 0o077 == 0

    second = _take(tmp_path, *extra)
    second.expect(r"Welcome back: 3 of 14 questions answered")
    for prompt, keys in SECOND_SITTING:
        second.answer(prompt, keys)
    second.expect("1 left unanswered")
    second.answer(r"Finish now", "y")
    second.expect("Your CTO readiness report")
    second.expect("Readiness for Growth stage")
    second.expect("Technology strategy")
    second.expect(r"Saved the PDF report")
    assert second.wait() == 0
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert Answer.objects.filter(attempt=attempt).count() == 13
    export = json.loads((tmp_path / f"cto-readiness-{attempt.public_id}.json").read_text())
    assert export["attempt"]["id"] == attempt.public_id
    pdf = (tmp_path / f"cto-readiness-{attempt.public_id}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")

    # A third run shows the finished report again instead of starting over.
    third = _take(tmp_path, *extra)
    third.expect("Your CTO readiness report")
    assert third.wait() == 0
    assert Attempt.objects.count() == 1
    return attempt


@pytest.mark.slow
def test_take_locally_quit_resume_and_finish(transactional_db, tmp_path):
    import_file(path=MINI)
    _journey(tmp_path)


@pytest.mark.slow
def test_take_against_a_server(live_server, tmp_path):
    import_file(path=MINI)
    _journey(tmp_path, "--url", live_server.url)


@pytest.mark.slow
def test_take_new_forgets_progress_and_bad_input_is_asked_again(transactional_db, tmp_path):
    import_file(path=MINI)
    first = _take(tmp_path, "--context", "seed")
    first.answer("Your answer", "9")
    first.expect("Please select one of the available options")
    first.answer("Your answer", "q")
    assert first.wait() == 0
    again = _take(tmp_path, "--context", "seed", "--new")
    again.answer("Your answer", "q")
    assert again.wait() == 0
    assert Attempt.objects.count() == 2
