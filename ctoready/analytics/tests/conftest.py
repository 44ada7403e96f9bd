"""The analytics cast: an operator, a candidate, a rater-like visitor and the mini instrument."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ctoready.instruments.services import import_file
from ctoready.lib.testing import MINI


@pytest.fixture
def version(db):
    return import_file(path=MINI).version


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_user(
        "olivia", "olivia@example.org", "operator-passphrase-42", is_staff=True
    )


@pytest.fixture
def candidate(db):
    return get_user_model().objects.create_user("carol", "carol@example.org", "candidate-pass-42")


def demo(attempts: int, seed: int = 1, instrument: str = "mini") -> str:
    out = StringIO()
    call_command(
        "demo",
        "--attempts",
        str(attempts),
        "--seed",
        str(seed),
        "--instrument",
        instrument,
        stdout=out,
    )
    return out.getvalue()
