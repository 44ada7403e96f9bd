"""Script and template payloads in operator-authored and person-typed text are shown as
text everywhere: pages, e-mails, exports, the PDF, and no dialog ever fires in a browser."""

import json

import pytest
import yaml
from django.core import mail
from django.test import Client

from ctoready.assessments.models import Attempt
from ctoready.instruments.services import import_file
from ctoready.instruments.tests.conftest import MINI

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
TEMPLATE = "{{ 7|add:42 }}{% now 'Y' %}"
PAYLOAD = f"{SCRIPT}{IMG}{TEMPLATE}"


@pytest.fixture
def hostile_version(tmp_path, db):
    data = yaml.safe_load(MINI.read_text())
    items = {item["id"]: item for item in data["items"]}
    data["title"] += PAYLOAD
    data["scales"][0]["name"] += PAYLOAD
    data["scales"][0]["bands"]["high"] += PAYLOAD
    items["st-1"]["text"] += PAYLOAD
    items["sjt-costs"]["text"] += PAYLOAD
    items["sjt-costs"]["options"][1]["text"] += PAYLOAD
    items["sjt-costs"]["options"][1]["rationale"] += PAYLOAD
    items["pref-role"]["options"][0]["text"] += PAYLOAD
    next(c for c in data["contexts"] if c["id"] == "growth")["name"] += PAYLOAD
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return import_file(path=path).version


def assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "onerror=alert(2)>" not in html or "&lt;img" in html
    assert "49" not in html.split("7|add:42")[0][-5:]  # the template syntax was not run


@pytest.mark.django_db
def test_operator_text_is_escaped_on_every_page(hostile_version):
    browser = Client()
    landing = browser.get("/").content.decode()
    assert_inert(landing)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in landing
    browser.post("/start/", {"context": "growth", "email": "x@example.org"})
    attempt = Attempt.objects.latest("pk")
    for number in range(1, 6):
        assert_inert(browser.get(f"/a/{attempt.public_id}/p/{number}/").content.decode())
    browser.post(f"/a/{attempt.public_id}/p/2/", {"q-st-1": "4", "seq": "5"})
    browser.post(
        f"/a/{attempt.public_id}/p/4/",
        {"q-sjt-costs-best": "b", "q-sjt-costs-worst": "a", "seq": "6"},
    )
    assert_inert(browser.get(f"/a/{attempt.public_id}/review/").content.decode())
    browser.post(f"/a/{attempt.public_id}/finish/")
    report = browser.get(f"/a/{attempt.public_id}/report/").content.decode()
    assert_inert(report)
    assert "&lt;script&gt;" in report
    exported = browser.get(f"/a/{attempt.public_id}/report.json")
    assert exported["Content-Type"].startswith("application/json")  # data, never HTML
    assert exported["X-Content-Type-Options"] == "nosniff"
    json.loads(exported.content)


@pytest.mark.django_db
def test_typed_text_is_escaped_and_mail_is_plain_text(hostile_version):
    browser = Client()
    response = browser.post("/start/", {"context": "growth", "email": f"{SCRIPT}@example.org"})
    assert response.status_code == 400  # not an address: refused, shown escaped
    assert_inert(response.content.decode())
    browser.post("/start/", {"context": "growth", "email": "alice@example.org"})
    message = mail.outbox[-1]
    assert message.alternatives == [] if hasattr(message, "alternatives") else True
    assert "<script>" not in message.body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_dialog_fires_in_a_real_browser(hostile_version, live_server, browser_page):
    dialogs: list[str] = []
    browser_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_page.goto(live_server.url + "/")
    browser_page.check("input[value=growth]")
    browser_page.click("button[type=submit]")
    browser_page.wait_for_url("**/p/1/")
    public_id = browser_page.url.split("/a/")[1].split("/")[0]
    for path in ("p/2/", "p/4/", "p/5/", "review/"):
        browser_page.goto(f"{live_server.url}/a/{public_id}/{path}")
    browser_page.goto(f"{live_server.url}/a/{public_id}/review/")
    browser_page.click("text=Finish and see my report")
    browser_page.wait_for_url("**/report/")
    assert dialogs == []
    assert "<script>alert(1)</script>" in browser_page.inner_text("main")
