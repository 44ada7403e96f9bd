"""The page hot path: a plain page GET answered in front of Django, exactly as Django would.

Each request goes to the site's WSGI application as a server sends it
(:mod:`ctoready.testing.wsgi`). The same request sent to Django's handler alone gives the
reference answer: the hot path must give the same status, headers and page, or leave
the request to Django. The random parts of a page (the CSP nonce and the CSRF mask) are
drawn the same way on both paths, so the tests fix them to compare the rest.
"""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.test.client import RequestFactory
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
    """(the site's answer, Django's alone) to the same GET."""
    request = RequestFactory().get(path, **options, **wsgi.cookies_of(browser))
    site = wsgi.send(dict(request.environ))
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


def test_a_page_served_here_reads_three_rows_and_writes_nothing(fixed, django_assert_num_queries):
    browser, attempt = candidate()
    path = f"/a/{attempt.public_id}/p/2/"
    browser.get(path)
    with django_assert_num_queries(3):  # the session, the attempt, its answers
        response = wsgi.get(path, client=browser)
    assert response.status_code == 200
    assert not response.cookies  # no cookie set again


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
