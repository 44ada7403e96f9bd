"""An operator walks through analytics in real Chromium and publishes a calibrated draft."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ctoready.analytics.tests.conftest import bulk_real_attempts
from ctoready.instruments.models import InstrumentVersion
from ctoready.lib.browser import axe_violations

PASSWORD = "operator-passphrase-42"


@pytest.mark.browser
def test_operator_reads_analytics_and_publishes_a_calibrated_draft(
    live_server, browser_page, version, operator
):
    bulk_real_attempts(version, 700, seed=3)
    call_command("calibrate", "--instrument", "mini@1.0.0", "--from-attempts", stdout=StringIO())
    page = browser_page
    page.goto(live_server.url + "/account/login/?next=/operator/analytics/")
    page.fill("input[name=login]", operator.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/operator/analytics/")
    assert page.locator("h1").inner_text() == "Analytics"

    page.get_by_role("link", name="mini@1.0.0").click()
    expect(page.locator("h1")).to_have_text("Analytics of mini@1.0.0")
    page.wait_for_load_state()
    assert page.get_by_role("img", name="Cronbach’s alpha per scale").count() == 1
    assert page.get_by_role("table", name="Reliability of each scale").count() == 1
    assert axe_violations(page) == []

    page.go_back()
    page.get_by_role("link", name="mini@1.0.1").click()
    expect(page.locator("h1")).to_contain_text("Calibration mini@1.0.1")
    page.wait_for_load_state()
    assert page.get_by_role("table").locator("tbody tr").count() == 9
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publish version 1.0.1").click()
    expect(page.get_by_text("Published mini@1.0.1.")).to_have_count(1)
    assert InstrumentVersion.objects.get(version="1.0.1").is_published
    assert not page.js_errors


@pytest.mark.browser
def test_the_manual_and_the_expert_form_pass_axe(live_server, browser_page, version):
    from ctoready.analytics.keying import invite_expert, open_round

    page = browser_page
    page.goto(live_server.url + "/manual/mini/1.0.0/")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    _, token = invite_expert(round=open_round(version=version))
    page.goto(live_server.url + f"/keying/{token}/")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    for option in ("a", "b", "c", "d"):
        page.locator(f"input[name=r-sjt-costs-{option}][value='4']").check()
    page.get_by_role("button", name="Save my ratings").click()
    expect(page.get_by_text("your ratings are saved")).to_have_count(1)
