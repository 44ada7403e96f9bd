"""The organisation journey in real Chromium: an owner creates an organisation and a
cohort and invites four people; three share (one scores only), one does not; the heatmap
has three rows and the averages view only averages; one withdraws and is gone at once
from the pages, the export and the API."""

import csv
import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from ctoready.api.services import create_api_token
from ctoready.lib.browser import axe_violations
from ctoready.orgs.tests.conftest import MEMBER_ANSWERS, make_user
from ctoready.testing import finished_attempt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("ORG_SCREENSHOTS")  # a folder, to look at the pages
LINK = re.compile(r"(https?://\S+/orgs/join/[A-Za-z0-9_-]+/)")


def checked(page, name=""):
    expect(page.locator("h1")).to_have_count(1)
    assert axe_violations(page) == []
    if SCREENSHOTS and name:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def signed_in_page(chromium, site, user):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return page


@pytest.fixture
def site(live_server, mini, settings):
    settings.SITE_URL = live_server.url
    return live_server.url


def create_organisation_and_cohort(page, site):
    page.goto(f"{site}/orgs/new/")
    checked(page, "create")
    page.fill("#org-name", "Acme")
    page.check("input[name=accept]")
    page.click("button[type=submit] >> text=Create")
    page.wait_for_url(re.compile(r"/orgs/[^/]+/$"))
    checked(page, "organisation")
    page.fill("#cohort-name", "2027 leadership programme")
    page.select_option("#cohort-context", "growth")
    page.click("text=Create the cohort")
    page.wait_for_url(re.compile(r"/c/[^/]+/$"))
    checked(page, "cohort")
    page.fill(
        "#member-emails", "mia@example.com\nmax@example.com\nmo@example.com\nnina@example.com"
    )
    page.click("button >> text=Send invitations")
    page.wait_for_url(re.compile(r"/c/[^/]+/$"))
    return page.url


def join_and_choose(chromium, site, user, attempt, scope):
    page = signed_in_page(chromium, site, user)
    message = next(m for m in mail.outbox if m.to == [user.email])
    page.goto(LINK.search(message.body).group(1))
    page.wait_for_url(re.compile(r"/orgs/join/$"))
    checked(page, "join")
    page.click("main button >> text=Join")
    page.wait_for_url(re.compile(r"/orgs/sharing/[^/]+/$"))
    checked(page, "consent")
    if scope != "nothing":
        page.select_option("#consent-attempt", attempt.public_id)
        page.check(f"input[name=scope][value={scope}]")
        page.click("text=Save my choice")
        page.wait_for_selector("text=Your choice is saved")
    return page


def shared_members(owner, cohort_url):
    response = owner.request.get(cohort_url + "scores.csv")
    assert response.status == 200
    return [row[0] for row in list(csv.reader(io.StringIO(response.text())))[1:]]


def test_an_owner_runs_a_cohort_and_a_withdrawal_takes_effect_at_once(chromium, site, mini, client):
    olga = make_user("olga")
    members = {name: make_user(name) for name in MEMBER_ANSWERS}
    attempts = {
        name: finished_attempt(mini, answers, context="growth", owner=members[name])
        for name, answers in MEMBER_ANSWERS.items()
    }
    owner = signed_in_page(chromium, site, olga)
    cohort_url = create_organisation_and_cohort(owner, site)
    assert sorted(m.to[0] for m in mail.outbox) == [f"{n}@example.com" for n in sorted(members)]

    choices = {"mia": "full", "max": "scores", "mo": "full", "nina": "nothing"}
    pages = {
        name: join_and_choose(chromium, site, members[name], attempts[name], scope)
        for name, scope in choices.items()
    }

    owner.goto(cohort_url)
    assert "4 people joined" in owner.inner_text("main")
    sharing = owner.inner_text("table.members-table")
    assert "mia@example.com" in sharing and "nina@example.com" not in sharing
    owner.click("text=Cohort picture")
    owner.wait_for_url(re.compile(r"/picture/$"))
    checked(owner, "picture")
    assert owner.locator("svg.heatmap-chart g.heatmap-row").count() == 3
    assert owner.locator("table.heatmap-table tbody tr").count() == 3
    owner.goto(cohort_url + "averages/")
    checked(owner, "averages")
    assert owner.locator("svg.heatmap-chart").count() == 0
    assert "mia@example.com" not in owner.inner_text("main")
    assert owner.locator("table.averages-table tbody tr").count() >= 3
    owner.goto(cohort_url)
    owner.click("text=max@example.com")
    owner.wait_for_url(re.compile(r"/m/[^/]+/$"))
    checked(owner, "member-scores")
    assert "Strengths and development areas" not in owner.inner_text("main")
    assert sorted(shared_members(owner, cohort_url)) == [
        "max@example.com",
        "mia@example.com",
        "mo@example.com",
    ]

    mia = pages["mia"]
    mia.goto(f"{site}/orgs/")
    checked(mia, "index")
    mia.click("text=2027 leadership programme")
    mia.wait_for_url(re.compile(r"/orgs/sharing/[^/]+/$"))
    mia.check("input[name=scope][value=nothing]")
    mia.click("text=Save my choice")
    mia.wait_for_selector("text=Your choice is saved")

    owner.goto(cohort_url + "picture/")
    assert "mia@example.com" not in owner.inner_text("main")
    assert owner.locator("svg.heatmap-chart g.heatmap-row").count() == 0  # two left: averages
    assert sorted(shared_members(owner, cohort_url)) == ["max@example.com", "mo@example.com"]
    token = create_api_token(user=olga)[1]
    api_path = cohort_url.replace(site + "/orgs/", "/api/v1/organisations/").replace(
        "/c/", "/cohorts/"
    )
    listed = client.get(api_path + "members", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert sorted(m["member"] for m in listed) == ["max@example.com", "mo@example.com"]
    for page in (owner, *pages.values()):
        assert page.js_errors == []
