"""The 360 section in every output the candidate (or anyone they share with) can reach:
the report page, the shared page, the PDF and the JSON export, each checked against the
same anonymity rules."""

import json
import re
import subprocess

import pytest
from django.test import Client

from ctoready.assessments.models import Link
from ctoready.assessments.services import create_link
from ctoready.raters import services
from ctoready.raters.anonymity import ALL, MANAGER, MIN_GROUP
from ctoready.raters.tests.conftest import respond
from ctoready.testing import own

LABELS = {"All raters": ALL, "Manager": "manager", "Peers": "peer", "Direct reports": "direct"}
LABELS |= {"Others": "other"}


def close(attempt):
    return services.close_round(round_=services.round_of(attempt))


@pytest.fixture
def mixed(alice_attempt):
    """Three peers, two direct reports and a manager who was not told they could be shown
    alone: only "all raters" (6) and peers (3) may appear anywhere."""
    for i in range(3):
        respond(alice_attempt, "peer", comments={"keep": f"Peer note {i}"})
    for _ in range(2):
        respond(alice_attempt, "direct", comments={"change": "Delegate more."})
    respond(alice_attempt, "manager", comments={"keep": "Boss note"})
    close(alice_attempt)
    return alice_attempt


def text_groups(text: str) -> list[tuple[str, int]]:
    """Every "<group label> (<n>)" in a rendering: the aggregates it shows."""
    labels = "|".join(re.escape(label) for label in LABELS)
    return [(label, int(n)) for label, n in re.findall(rf"({labels}) \((\d+)\)", text)]


def check_rendered(text: str, allowed: dict[str, int]) -> None:
    found = text_groups(text)
    assert found, "the section shows no aggregate at all"
    for label, n in found:
        assert LABELS[label] in allowed, f"{label} ({n}) must not be shown"
        assert n == allowed[LABELS[label]]
        assert n >= MIN_GROUP or LABELS[label] == MANAGER


def check_json(section: dict, allowed: dict[str, int]) -> None:
    for row in section["scales"]:
        groups = {g["group"]: g["n"] for g in row["groups"]}
        assert groups == allowed
        if ALL in groups:
            assert all(groups[ALL] - n >= MIN_GROUP for g, n in groups.items() if g != ALL)
    text = json.dumps(section)
    assert "@" not in text and "seq" not in text


def pdf_text(client: Client, url: str, tmp_path) -> str:
    response = client.get(url)
    assert response.status_code == 200
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    result = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
    return " ".join(result.stdout.decode().split())


ALLOWED = {ALL: 6, "peer": 3}


def test_the_report_page_shows_only_allowed_groups(alice, mixed):
    html = alice.get(f"/a/{mixed.public_id}/report/").content.decode()
    section = html[html.index('id="feedback-title"') : html.index('id="plan')]
    check_rendered(section, ALLOWED)
    assert "Left out as a group because fewer than 3 answered: manager (1), direct reports (2)" in (
        " ".join(section.split())
    )
    assert "Peer note 0" in section and "Boss note" in section and "Delegate more." in section
    assert "6 people answered (1 manager, 3 peers, 2 direct reports)" in " ".join(section.split())
    assert html.count("<h1") == 1


def test_the_pdf_shows_only_allowed_groups(alice, mixed, tmp_path):
    text = pdf_text(alice, f"/a/{mixed.public_id}/report.pdf", tmp_path)
    assert "How others see you" in text
    check_rendered(text[text.index("How others see you") :], ALLOWED)
    assert "Invite raters" not in text


def test_the_json_export_shows_only_allowed_groups(alice, mixed):
    data = alice.get(f"/a/{mixed.public_id}/report.json").json()
    check_json(data["raters"], ALLOWED)
    assert sorted(data["raters"]["comments"]["keep"]) == [
        "Boss note",
        "Peer note 0",
        "Peer note 1",
        "Peer note 2",
    ]


def test_the_shared_page_and_pdf_show_the_same_and_no_invitation_link(mixed, tmp_path):
    token = create_link(attempt=mixed, purpose=Link.Purpose.SHARE)
    coach = Client()
    html = coach.get(f"/s/{token}/").content.decode()
    check_rendered(html[html.index('id="feedback-title"') :], ALLOWED)
    assert "/rate/a/" not in html
    check_rendered(pdf_text(coach, f"/s/{token}/report.pdf", tmp_path), ALLOWED)


def test_a_manager_who_was_told_is_shown_alone_and_all_raters_is_then_left_out(
    alice, alice_attempt, tmp_path
):
    for _ in range(3):
        respond(alice_attempt, "peer")
    respond(alice_attempt, "manager", manager_alone=True)
    close(alice_attempt)
    allowed = {"manager": 1, "peer": 3}  # all raters (4) minus peers (3) would be one person
    check_json(alice.get(f"/a/{alice_attempt.public_id}/report.json").json()["raters"], allowed)
    html = alice.get(f"/a/{alice_attempt.public_id}/report/").content.decode()
    check_rendered(html[html.index('id="feedback-title"') : html.index('id="plan')], allowed)
    text = pdf_text(alice, f"/a/{alice_attempt.public_id}/report.pdf", tmp_path)
    check_rendered(text[text.index("How others see you") :], allowed)


def test_blind_spots_and_hidden_strengths_are_named_and_exposed(alice, mixed):
    # Alice rates her strategy high and her leadership low; her raters see the opposite.
    assert services.blind_spots(mixed) == (["strategy"], ["leadership"])
    html = " ".join(alice.get(f"/a/{mixed.public_id}/report/").content.decode().split())
    assert "<strong>Blind spots</strong> (you rate yourself higher than others do): " in html
    assert "Technology strategy." in html
    assert "<strong>Hidden strengths</strong>" in html


def test_before_closing_the_report_shows_progress_and_no_aggregate(alice, alice_attempt):
    for _ in range(4):
        respond(alice_attempt)
    html = alice.get(f"/a/{alice_attempt.public_id}/report/").content.decode()
    assert "Your feedback round is open: 4 people have answered so far" in html
    assert text_groups(html) == []
    assert alice.get(f"/a/{alice_attempt.public_id}/report.json").json()["raters"] is None


def test_without_raters_the_owner_is_invited_and_a_shared_reader_sees_nothing(alice_attempt):
    owner = own(Client(), alice_attempt)
    assert "Invite raters" in owner.get(f"/a/{alice_attempt.public_id}/report/").content.decode()
    token = create_link(attempt=alice_attempt, purpose=Link.Purpose.SHARE)
    assert 'id="feedback-title"' not in Client().get(f"/s/{token}/").content.decode()
