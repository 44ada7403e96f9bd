"""The page hot path: a plain page GET or post answered in front of Django, exactly as
Django would answer it.

Each request goes to the site's WSGI application as a server sends it
(:mod:`ctoready.testing.wsgi`). The same request sent to Django's handler alone gives the
reference answer: the hot path must give the same status, headers, page and rows
written, or leave the request to Django before anything is written (or once writing
again changes nothing). The random parts of a page (the CSP nonce and the CSRF mask) are
drawn the same way on both paths, so the tests fix them to compare the rest.
"""

import re
from urllib.parse import urlencode

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.test.client import MULTIPART_CONTENT, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import csp as django_csp
from django.utils import timezone

from ctoready.assessments import pagepath, pages
from ctoready.assessments.models import Answer, Attempt
from ctoready.instruments.loader import load_bytes
from ctoready.instruments.services import import_instrument
from ctoready.lib import csrf
from ctoready.reports.services import finish_attempt
from ctoready.testing import MINI_ANSWERS, mini_with_deep_dive, wsgi

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed(monkeypatch, clock, version):
    """The mini instrument published; the clock held still (sequence numbers, key
    stretches), one nonce, one CSRF mask."""
    monkeypatch.setattr(django_csp, "generate_nonce", lambda: "fixed-nonce")
    monkeypatch.setattr(csrf, "_shifts", lambda count: [7] * count)


def candidate(locale="en"):
    """A browser that started an attempt and saw its first page (which shows the resume
    link, through Django): from then on its pages are plain."""
    browser = Client()
    assert browser.post("/start/", {"context": "growth", "lang": "en"}).status_code == 302
    attempt = Attempt.objects.latest("pk")
    Attempt.objects.filter(pk=attempt.pk).update(locale=locale)
    assert browser.get(f"/a/{attempt.public_id}/p/1/").status_code == 200
    return browser, attempt


def both(browser, path, **options):
    """(the site's answer, Django's alone) to the same GET, each application built now,
    under the test's settings."""
    request = RequestFactory().get(path, **options, **wsgi.cookies_of(browser))
    site = wsgi.send(dict(request.environ), app=pagepath.in_front(WSGIHandler()))
    django = wsgi.send(dict(request.environ), app=WSGIHandler())
    return site, django


def served_here(browser, path, **options):
    """Whether the hot path answers this GET itself."""
    request = RequestFactory().get(path, **options, **wsgi.cookies_of(browser))
    environ = dict(request.environ)
    match = pagepath.PATH.match(environ["PATH_INFO"])
    if environ.get("QUERY_STRING") or match is None:
        return False
    with wsgi.connections_kept():
        return pagepath._serve(environ, match["public_id"], int(match["number"])) is not None


def test_every_page_is_served_as_django_serves_it(fixed):
    browser, attempt = candidate()
    for item_id, value in list(MINI_ANSWERS.items())[:6]:
        Answer.objects.create(attempt=attempt, item_id=item_id, value=value, seq=1)
    for number in range(1, 6):
        path = f"/a/{attempt.public_id}/p/{number}/"
        browser.get(path)  # Django renders the page's shell once
        assert served_here(browser, path), number
        site, django = both(browser, path)
        assert site.status_code == django.status_code == 200
        assert dict(site.headers) == dict(django.headers), number
        assert site.content == django.content, number
        assert "fixed-nonce" in site["Content-Security-Policy"]


def test_a_deep_dive_page_is_served_once_the_deep_dive_is_open(fixed):
    loaded = load_bytes(mini_with_deep_dive().encode(), "mini-deep.yaml")
    import_instrument(loaded=loaded, name="mini-deep.yaml")
    browser = Client()
    browser.post("/start/", {"context": "growth", "lang": "en"})
    attempt = Attempt.objects.latest("pk")
    assert attempt.version.label.endswith("1.1.0"), attempt.version.label
    browser.get(f"/a/{attempt.public_id}/p/1/")
    deep = f"/a/{attempt.public_id}/p/5/"  # the first page of the deep-dive
    assert wsgi.get(deep, client=browser).status_code == 302  # the core comes first
    finish_attempt(attempt=attempt)
    browser.post(f"/a/{attempt.public_id}/deep/")
    browser.get(deep)
    assert served_here(browser, deep)
    site, django = both(browser, deep)
    assert dict(site.headers) == dict(django.headers)
    assert site.content == django.content
    # The finished core's pages are the view's to answer: they lead to the report.
    assert not served_here(browser, f"/a/{attempt.public_id}/p/2/")


def test_a_page_in_french_is_served_in_french(fixed):
    browser, attempt = candidate("fr")
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    assert served_here(browser, path)
    site, django = both(browser, path, headers={"Accept-Language": "en"})
    assert site["Content-Language"] == "fr"
    html = site.content.decode()
    assert '<html lang="fr">' in html and ">Suivant</button>" in html
    assert dict(site.headers) == dict(django.headers)
    assert site.content == django.content


def test_over_https_the_page_carries_hsts_as_django_gives_it(fixed, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    pagepath.policy_headers.cache_clear()
    try:
        site, django = both(browser, path, secure=True)
        assert site["Strict-Transport-Security"] == "max-age=3600"
        assert dict(site.headers) == dict(django.headers)
    finally:
        pagepath.policy_headers.cache_clear()


def sent(queries) -> list[list[str]]:
    """The tables each query sent read or wrote, statement by statement."""
    return [
        [re.search(r"(?:FROM|INTO) \"?(\w+)", statement)[1] for statement in q["sql"].split("; ")]
        for q in queries
    ]


def test_a_page_served_here_reads_three_rows_and_writes_nothing(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = wsgi.get(path, client=browser)
    assert response.status_code == 200
    assert not response.cookies  # no cookie set again
    reads = ["django_session", "assessments_attempt", "assessments_answer"]
    if connection.vendor == "postgresql":
        assert sent(queries) == [reads]  # one round trip to the server
    else:
        assert sent(queries) == [[table] for table in reads]
    assert not any(re.search(r"\b(INSERT|UPDATE|DELETE)\b", q["sql"]) for q in queries)


def test_answers_saved_since_are_shown(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    before = wsgi.get(path, client=browser).content.decode()
    assert 'name="q-st-1" value="4" checked' not in before
    Answer.objects.create(attempt=attempt, item_id="st-1", value=4, seq=5)
    after = wsgi.get(path, client=browser).content.decode()
    assert 'name="q-st-1" value="4" checked' in after


def test_a_browser_that_may_not_open_the_attempt_gets_django_s_404(fixed):
    _, attempt = candidate()
    stranger, _ = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    assert not served_here(stranger, path)
    assert wsgi.get(path, client=stranger).status_code == 404
    assert wsgi.get(path).status_code == 404  # no cookies at all


def test_the_signed_in_owner_goes_through_django(fixed, django_user_model):
    owner = django_user_model.objects.create_user("ann", "ann@example.org", "a-passphrase-9")
    _, attempt = candidate()
    Attempt.objects.filter(pk=attempt.pk).update(owner=owner)
    signed_in = Client()
    signed_in.force_login(owner)
    signed_in.get("/")  # a CSRF cookie
    path = f"/a/{attempt.public_id}/p/2/"
    assert not served_here(signed_in, path)
    response = wsgi.get(path, client=signed_in)
    assert response.status_code == 200, response.content


def test_the_first_page_after_starting_shows_the_resume_link_through_django(fixed):
    browser = Client()
    browser.post("/start/", {"context": "growth", "lang": "en"})
    attempt = Attempt.objects.latest("pk")
    browser.get("/")  # a CSRF cookie; the session still holds the new resume link
    path = f"/a/{attempt.public_id}/p/1/"
    assert not served_here(browser, path)
    assert "/r/" in wsgi.get(path, client=browser).content.decode()


def test_pending_messages_and_a_query_string_go_through_django(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    browser.cookies["messages"] = "anything"
    assert not served_here(browser, path)
    del browser.cookies["messages"]
    assert served_here(browser, path)
    assert not served_here(browser, path + "?from=next-page")
    assert wsgi.get(path + "?from=next-page", client=browser).status_code == 200


@pytest.mark.parametrize("cookie", [None, "short", "x" * 31 + "!"], ids=["none", "short", "bad"])
def test_without_a_sound_csrf_cookie_django_sets_one(fixed, cookie):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    del browser.cookies["csrftoken"]
    if cookie is not None:
        browser.cookies["csrftoken"] = cookie
    assert not served_here(browser, path)
    response = wsgi.get(path, client=browser)
    assert response.status_code == 200
    assert "csrftoken" in response.cookies


def test_a_finished_attempt_and_a_page_out_of_range_are_left_to_django(fixed):
    browser, attempt = candidate()
    assert not served_here(browser, f"/a/{attempt.public_id}/p/99/")
    assert wsgi.get(f"/a/{attempt.public_id}/p/99/", client=browser).status_code == 404
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    for item_id, value in MINI_ANSWERS.items():
        Answer.objects.create(attempt=attempt, item_id=item_id, value=value, seq=1)
    finish_attempt(attempt=attempt)
    assert not served_here(browser, path)
    response = wsgi.get(path, client=browser)
    assert response.status_code == 302
    assert response["Location"] == f"/a/{attempt.public_id}/report/"


def test_an_expired_attempt_is_left_to_django(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    Attempt.objects.filter(pk=attempt.pk).update(expires_at=timezone.now())
    assert not served_here(browser, path)
    assert wsgi.get(path, client=browser).status_code == 410


def test_a_page_this_process_has_not_rendered_is_rendered_by_django_then_kept(fixed, monkeypatch):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/3/"
    monkeypatch.setattr(pages, "_shells", {})
    assert not served_here(browser, path)
    assert wsgi.get(path, client=browser).status_code == 200
    assert served_here(browser, path)


def test_debug_a_host_not_served_and_head_go_to_django(fixed, settings):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    assert not served_here(browser, path, headers={"Host": "elsewhere.example"})
    assert wsgi.get(path, client=browser, headers={"Host": "elsewhere.example"}).status_code == 400
    request = RequestFactory().head(path, **wsgi.cookies_of(browser))
    assert wsgi.send(dict(request.environ)).status_code == 200
    settings.DEBUG = True
    assert not served_here(browser, path)


def test_a_failure_goes_to_django_and_is_logged(fixed, monkeypatch, caplog):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(pagepath, "fill", broken)
    response = wsgi.get(path, client=browser)
    assert response.status_code == 200
    assert "the hot path failed" in caplog.text and "out of memory" in caplog.text


# Posts ----------------------------------------------------------------------------------

PAGE_2 = {"q-st-1": "4", "q-le-1": "3", "q-re-1": "5", "q-st-2": "2", "q-le-2": "na"}


def form(browser, answers=PAGE_2, go="next", seq=10):
    return answers | {
        "go": go,
        "seq": str(seq),
        "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
    }


def post(browser, path, data, *, app=None, multipart=False, **options):
    """A page's form posted as a browser posts it (URL-encoded, or as a file upload)."""
    factory = RequestFactory()
    cookies = wsgi.cookies_of(browser)
    if multipart:
        request = factory.post(path, data, content_type=MULTIPART_CONTENT, **options, **cookies)
    else:
        request = factory.post(path, urlencode(data), content_type=wsgi.FORM, **options, **cookies)
    return wsgi.send(dict(request.environ), app=app)


class Django:
    """Django's application, noting each request that reaches it."""

    def __init__(self):
        self.reached = 0
        self.app = WSGIHandler()

    def __call__(self, environ, start_response):
        self.reached += 1
        return self.app(environ, start_response)


def through_front(browser, path, data, **options):
    """The response of the hot path with Django behind it, and whether Django answered."""
    django = Django()
    response = post(browser, path, data, app=pagepath.PageApp(django), **options)
    return response, django.reached == 1


def stored(attempt):
    return {a.item_id: (a.value, a.seq) for a in Answer.objects.filter(attempt=attempt)}


def visits(attempt):
    return {
        (v.page_id, v.shown_at is not None, v.left_at is not None)
        for v in attempt.page_visits.all()
    }


@pytest.mark.parametrize("go", ["next", "back", "review"])
def test_a_page_posted_is_written_and_answered_as_django_does(fixed, go):
    mine, mine_attempt = candidate()
    theirs, their_attempt = candidate()
    path = "/a/{}/p/2/"
    site, django_answered = through_front(
        mine, path.format(mine_attempt.public_id), form(mine, go=go)
    )
    assert not django_answered
    django = post(
        theirs, path.format(their_attempt.public_id), form(theirs, go=go), app=WSGIHandler()
    )
    assert site.status_code == django.status_code == 302
    theirs_headers = {k: v.replace(their_attempt.public_id, "ID") for k, v in django.headers}
    assert {k: v.replace(mine_attempt.public_id, "ID") for k, v in site.headers} == theirs_headers
    assert (
        site["Location"]
        == {
            "next": f"/a/{mine_attempt.public_id}/p/3/",
            "back": f"/a/{mine_attempt.public_id}/p/1/?from=next-page",
            "review": f"/a/{mine_attempt.public_id}/review/",
        }[go]
    )
    assert stored(mine_attempt) == stored(their_attempt) != {}
    assert visits(mine_attempt) == visits(their_attempt) != set()
    assert not site.cookies


def test_a_page_posted_here_reads_in_one_round_trip_then_writes(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    with CaptureQueriesContext(connection) as queries:
        response, django_answered = through_front(browser, path, form(browser))
    assert not django_answered and response.status_code == 302
    # The session, the attempt and the stored answers' sequence numbers; then the
    # answers written, and the moves from page to page (the page left, the page shown).
    reads = ["django_session", "assessments_attempt", "assessments_answer"]
    writes = ["assessments_answer", "assessments_pagevisit", "assessments_pagevisit"]
    if connection.vendor == "postgresql":
        assert sent(queries) == [reads, writes]  # two round trips
    else:
        assert sent(queries) == [[table] for table in reads + writes]
    assert stored(attempt).keys() == {field[2:] for field in PAGE_2}
    # Shown on starting; left (this post); shown next (this post).
    assert visits(attempt) == {("about", True, False), ("p1", False, True), ("p2", True, False)}


def test_a_scenario_s_two_fields_are_read_as_one_answer_here(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/4/"
    answers = {"q-sjt-costs-best": "b", "q-sjt-costs-worst": "c"}
    response, django_answered = through_front(browser, path, form(browser, answers, seq=12))
    assert not django_answered and response.status_code == 302
    assert stored(attempt) == {"sjt-costs": ({"best": "b", "worst": "c"}, 12)}


def test_the_last_page_leads_to_the_review_and_a_post_again_changes_nothing(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/5/"
    browser.get(path)
    doc_items = {"q-pref-role": "a", "q-pref-type": "b", "q-check-revenue": "yes"}
    response, django_answered = through_front(browser, path, form(browser, doc_items))
    assert not django_answered and response["Location"] == f"/a/{attempt.public_id}/review/"
    before = stored(attempt)
    again, django_answered = through_front(browser, path, form(browser, doc_items))
    assert not django_answered and again.status_code == 302
    assert stored(attempt) == before


def test_answers_left_out_going_on_are_counted_by_django(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    partial = {"q-st-1": "4", "q-le-1": "3"}
    response, django_answered = through_front(browser, path, form(browser, partial))
    assert django_answered and response.status_code == 302
    browser.cookies.update(response.cookies)  # the message, kept for the next page
    shown = wsgi.get(response["Location"], client=browser).content.decode()
    assert "You left 3 questions unanswered" in shown
    del browser.cookies["messages"]  # shown: the browser drops it, as Django's answer asks
    # Left out on the way to the review, nothing is said: the hot path writes them.
    response, django_answered = through_front(browser, path, form(browser, partial, go="review"))
    assert not django_answered and response.status_code == 302


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: data | {"csrfmiddlewaretoken": "x" * 32},
        lambda data: {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"},
    ],
    ids=["wrong-token", "no-token"],
)
def test_a_post_without_the_csrf_token_is_refused_by_django_and_writes_nothing(fixed, spoil):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    response, django_answered = through_front(browser, path, spoil(form(browser)))
    assert django_answered and response.status_code == 403
    assert stored(attempt) == {}


def test_a_post_from_another_origin_is_refused_by_django(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    headers = {"Origin": "https://elsewhere.example"}
    response, django_answered = through_front(browser, path, form(browser), headers=headers)
    assert django_answered and response.status_code == 403
    assert stored(attempt) == {}


def test_a_refused_answer_or_character_goes_to_django_with_nothing_written(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    bad = form(browser, PAGE_2 | {"q-st-1": "9"})
    response, django_answered = through_front(browser, path, bad)
    assert django_answered and response.status_code == 400
    assert "That is not a possible answer" in response.content.decode()
    for nul in ({"q-le-2": "na\x00"}, {"note": "a\x00b"}):  # an answer, or any field
        response, django_answered = through_front(browser, path, form(browser, PAGE_2 | nul))
        assert django_answered and response.status_code == 400
    assert stored(attempt) == {}


def test_newer_answers_from_another_tab_are_kept_and_said_by_django(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    Answer.objects.create(attempt=attempt, item_id="st-1", value=1, seq=50)
    response, django_answered = through_front(browser, path, form(browser, seq=10))
    assert django_answered and response["Location"] == path
    assert stored(attempt)["st-1"] == (1, 50)
    assert stored(attempt)["le-1"] == (3, 10)
    browser.cookies.update(response.cookies)
    assert "the newer answers were kept" in wsgi.get(path, client=browser).content.decode()


def test_a_finished_or_adaptive_attempt_and_a_file_upload_go_to_django(fixed):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    response, django_answered = through_front(browser, path, form(browser), multipart=True)
    assert django_answered and response.status_code == 302
    Attempt.objects.filter(pk=attempt.pk).update(mode=Attempt.Mode.ADAPTIVE)
    _, django_answered = through_front(browser, path, form(browser, seq=11))
    assert django_answered
    Attempt.objects.filter(pk=attempt.pk).update(mode=Attempt.Mode.FIXED)
    for item_id, value in MINI_ANSWERS.items():
        Answer.objects.update_or_create(
            attempt=attempt, item_id=item_id, defaults={"value": value, "seq": 12}
        )
    finish_attempt(attempt=attempt)
    response, django_answered = through_front(browser, path, form(browser, seq=13))
    assert django_answered and response.status_code == 302
    assert response["Location"] == f"/a/{attempt.public_id}/report/"


def test_a_failure_after_the_write_goes_to_django_which_finishes_the_post(
    fixed, monkeypatch, caplog
):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(pagepath, "after_page_url", broken)
    response = post(browser, path, form(browser))
    assert response.status_code == 302 and response["Location"] == f"/a/{attempt.public_id}/p/3/"
    assert stored(attempt)["st-1"] == (4, 10)
    assert {("p1", False, True), ("p2", True, False)} <= visits(attempt)  # left, next shown
    assert "the hot path failed" in caplog.text


def test_a_post_to_an_attempt_this_browser_may_not_open_writes_nothing(fixed):
    _, attempt = candidate()
    stranger, _ = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    response, django_answered = through_front(stranger, path, form(stranger))
    assert django_answered and response.status_code == 404
    assert stored(attempt) == {}


def test_a_post_for_a_host_not_served_goes_quietly_to_django(fixed, caplog):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    headers = {"Host": "elsewhere.example", "Origin": "http://elsewhere.example"}
    response, django_answered = through_front(browser, path, form(browser), headers=headers)
    assert django_answered and response.status_code == 400
    assert stored(attempt) == {}
    assert "the hot path failed" not in caplog.text


def test_a_post_with_too_many_fields_is_refused_by_django_alone(fixed, caplog):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    crowded = form(browser) | {f"x{n}": "1" for n in range(1100)}
    response, django_answered = through_front(browser, path, crowded)
    assert django_answered and response.status_code == 400
    assert stored(attempt) == {}
    assert "the hot path failed" not in caplog.text
