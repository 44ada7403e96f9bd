"""Fixtures shared by every app's tests: the small test instrument, the fixed cast's
browsers, and real Chromium for the journeys a person takes.

Alice's and Bob's browsers own ``alice_attempt`` and ``bob_attempt``, which each app's
conftest defines as its tests need them; the visitor owns nothing."""

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from ctoready.lib.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def mini(db: Any) -> Any:
    """The small test instrument (``ctoready.testing.MINI``), imported."""
    from ctoready.instruments.services import import_file
    from ctoready.testing import MINI

    return import_file(path=MINI).version


@pytest.fixture
def version(mini: Any) -> Any:
    """``mini`` under the name the assessments, analytics and lib tests give it."""
    return mini


@pytest.fixture
def alice(alice_attempt: Any) -> Any:
    from django.test import Client

    from ctoready.testing import own

    return own(Client(), alice_attempt)


@pytest.fixture
def bob(bob_attempt: Any) -> Any:
    from django.test import Client

    from ctoready.testing import own

    return own(Client(), bob_attempt)


@pytest.fixture
def visitor() -> Any:
    from django.test import Client

    return Client()


@pytest.fixture(scope="session", autouse=True)
def live_server_runs_the_site_application() -> Iterator[None]:
    """The live server of browser tests serves what production serves: ``ctoready.wsgi``'s
    application, whose hot paths (page GETs, autosaves) answer in front of Django's handler
    (Django's live server would run the handler alone)."""
    from django.test import testcases

    from ctoready.assessments.pagepath import in_front

    # The live server's thread serves StaticFilesHandler(_MediaFilesHandler(WSGIHandler()));
    # the static files' handler passes every other request to the application it wraps.
    media = vars(testcases)["_MediaFilesHandler"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(testcases, "_MediaFilesHandler", lambda app: in_front(media(app)))
        yield


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium: Any) -> Iterator[Any]:
    """A fresh browser profile (cookies, storage) per test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context: Any) -> Any:
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return page


@pytest.fixture
def clock() -> Iterator[Any]:
    """The clock held still in the middle of a minute, moved only by the test
    (``clock.shift(seconds)``): rate limits read it, so no test depends on when it runs."""
    import time

    import time_machine

    start = int(time.time()) // 60 * 60 + 30
    with time_machine.travel(start, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _pdf_renderer_loads_everything(caplog: Any) -> Iterator[None]:
    """A PDF that silently left out part of its content fails the test that made it."""
    yield
    failed = [
        record.getMessage()
        for record in caplog.get_records("call")
        if record.levelno >= logging.ERROR and record.name == "ctoready.reports.typeset"
    ]
    if failed:
        pytest.fail("the PDF renderer left something out: " + "; ".join(failed))


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language() -> Iterator[None]:
    """A request leaves its language active on the thread (Django's locale middleware
    activates it and nothing resets it), so a French page would make the next test on the
    same worker French: each test ends with the default language again."""
    from django.utils import translation

    yield
    translation.deactivate()
