"""Many candidates autosaving into one SQLite database at once: no errors, nothing lost."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from ctoready.assessments import services
from ctoready.assessments.models import Answer

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 32
SAVES_EACH = 12
ITEMS = ["st-1", "st-2", "st-3", "le-1", "le-2", "le-3", "re-1", "re-2", "re-3"]


def candidate_session(base: str, token: str) -> tuple[urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/r/{token}/", timeout=30).read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    return opener, csrf


def autosave_many(base: str, public_id: str, token: str) -> list[int]:
    opener, csrf = candidate_session(base, token)
    statuses = []
    for n in range(SAVES_EACH):
        item = ITEMS[n % len(ITEMS)]
        body = urllib.parse.urlencode({f"q-{item}": str(n % 5 + 1), f"s-{item}": str(1000 + n)})
        request = urllib.request.Request(
            f"{base}/a/{public_id}/save/",
            data=body.encode(),
            headers={"X-CSRFToken": csrf, "Referer": base + "/"},
        )
        try:
            with opener.open(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


def test_32_candidates_autosave_at_once_without_errors(live_server, version):
    attempts = [
        services.start_attempt(version=version, context="growth", locale="en")
        for _ in range(CLIENTS)
    ]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(
            pool.map(
                lambda pair: autosave_many(live_server.url, pair[0].public_id, pair[1]), attempts
            )
        )
    statuses = [status for result in results for status in result]
    assert len(statuses) == CLIENTS * SAVES_EACH
    assert set(statuses) == {200}
    # The last answer to each item is the one stored, for every candidate.
    expected = {}
    for n in range(SAVES_EACH):
        expected[ITEMS[n % len(ITEMS)]] = n % 5 + 1
    for attempt, _ in attempts:
        assert services.answers_of(attempt) == expected
    assert Answer.objects.count() == CLIENTS * len(expected)
