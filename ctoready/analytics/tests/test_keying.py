"""Keying rounds: experts rate by private link; a panel of six that agrees keys the
scenario in a new version, and the manual says so; below the rule the authors' key stays."""

import re

import pytest
from django.test import Client

from ctoready.analytics.models import KeyingRound
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for
from ctoready.testing import MINI_ANSWERS, finished_attempt, own

pytestmark = pytest.mark.django_db

AGREEING = [
    {"a": 1, "b": 7, "c": 4, "d": 2},
    {"a": 2, "b": 6, "c": 4, "d": 2},
    {"a": 1, "b": 7, "c": 5, "d": 3},
]


@pytest.fixture
def olivia(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def open_round(olivia) -> KeyingRound:
    olivia.post("/operator/analytics/keying/open/", {"version": "mini@1.0.0"})
    return KeyingRound.objects.get()


def invite(olivia, found: KeyingRound) -> str:
    response = olivia.post(
        f"/operator/analytics/keying/{found.pk}/invite/", {"label": "x"}, follow=True
    )
    return re.search(r"/keying/([A-Za-z0-9_-]{40,})/", response.content.decode()).group(1)


def rate(token: str, ratings: dict[str, int], note: str = "") -> int:
    data = {f"r-sjt-costs-{k}": str(v) for k, v in ratings.items()} | {"note-sjt-costs": note}
    return Client().post(f"/keying/{token}/", data).status_code


def test_keying_pages_refuse_everyone_but_operators(version, candidate):
    attempt = finished_attempt(version, MINI_ANSWERS)
    carol = Client()
    carol.force_login(candidate)
    for client in (carol, own(Client(), attempt), Client()):
        assert client.get("/operator/analytics/keying/").status_code == 404
        assert (
            client.post("/operator/analytics/keying/open/", {"version": "mini@1.0.0"}).status_code
            == 404
        )
    assert not KeyingRound.objects.exists()
    assert Client().get("/keying/" + "x" * 43 + "/").status_code == 404


def test_six_agreeing_experts_key_the_scenario_and_the_manual_says_so(version, olivia):
    found = open_round(olivia)
    for n in range(6):
        token = invite(olivia, found)
        assert (
            "How effective is each response?" in Client().get(f"/keying/{token}/").content.decode()
        )
        assert rate(token, AGREEING[n % 3], note="tagging works" if n == 0 else "") == 302
    page = olivia.get(f"/operator/analytics/keying/{found.pk}/")
    (result,) = page.context["results"]
    assert result.experts == 6 and result.passes and result.rwg_j > result.rwg_j_null
    assert "tagging works" in page.content.decode()
    olivia.post(f"/operator/analytics/keying/{found.pk}/publish/")
    keyed = InstrumentVersion.objects.get(version="1.0.1")
    assert keyed.is_published
    scenario = document_for(keyed).item_by_id["sjt-costs"]
    assert scenario.key_provenance.source == "panel" and scenario.key_provenance.experts == 6
    assert [o.effectiveness for o in scenario.options] == [1, 5, 3, 2]
    manual = Client().get("/manual/mini/1.0.1/").content.decode()
    assert "keyed by 6 experts" in manual
    assert Client().get(f"/keying/{token}/").status_code == 404  # the round is closed


def test_five_experts_are_not_a_panel_and_the_authors_key_stays(version, olivia):
    found = open_round(olivia)
    for n in range(5):
        rate(invite(olivia, found), AGREEING[n % 3])
    response = olivia.post(f"/operator/analytics/keying/{found.pk}/publish/", follow=True)
    assert "No scenario meets the panel rule" in response.content.decode()
    assert "5 experts; a panel key needs 6" in response.content.decode()
    assert InstrumentVersion.objects.count() == 1


def test_an_incomplete_rating_is_refused_and_changes_nothing(version, olivia):
    token = invite(olivia, open_round(olivia))
    assert rate(token, {"a": 1, "b": 7}) == 400
    assert rate(token, {"a": 1, "b": 9, "c": 3, "d": 2}) == 400
    assert not KeyingRound.objects.get().experts.filter(submitted_at__isnull=False).exists()
