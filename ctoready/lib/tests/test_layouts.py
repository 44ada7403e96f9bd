"""The page layouts (prose.html for text, wide.html for tables): a page states its title once,
and it names both the window and the page's one heading, unless the page gives a heading
that says more."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from ctoready.assessments.services import start_attempt
from ctoready.testing import own

pytestmark = pytest.mark.django_db

SITE = " · CTO Readiness Assessment"


def window_and_headings(html: str) -> tuple[str, list[str]]:
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert title is not None
    return title.group(1), re.findall(r"<h1>(.*?)</h1>", html, re.DOTALL)


def test_a_text_page_names_the_window_and_heads_its_column_with_one_title(visitor):
    html = visitor.get(reverse("my_data")).content.decode()
    assert window_and_headings(html) == ("Your data" + SITE, ["Your data"])
    assert re.search(r'<div class="prose">\s*<h1>Your data</h1>', html)


def test_a_heading_that_says_more_leaves_the_window_title_short(mini, visitor):
    attempt, _ = start_attempt(version=mini, context="seed", locale="en")
    html = own(visitor, attempt).get(reverse("reports:report", args=[attempt.public_id]))
    assert window_and_headings(html.content.decode()) == (
        "Report not ready" + SITE,
        ["Your report is not ready yet"],
    )


def test_a_message_page_takes_its_title_from_the_view(visitor):
    response = visitor.get("/no-such-page/")
    assert response.status_code == 404
    assert window_and_headings(response.content.decode()) == (
        "Page not found" + SITE,
        ["Page not found"],
    )


def test_an_operator_page_names_the_window_and_heads_the_full_width_with_one_title():
    operator = get_user_model().objects.create_user(
        "olivia", "olivia@example.org", "operator-passphrase-42", is_staff=True
    )
    client = Client()
    client.force_login(operator)
    html = client.get(reverse("analytics:index")).content.decode()
    assert window_and_headings(html) == ("Analytics" + SITE, ["Analytics"])
    assert re.search(r'<main id="main">\s*<h1>Analytics</h1>', html)
