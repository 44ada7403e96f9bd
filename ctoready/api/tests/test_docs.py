"""The OpenAPI document and the reference page rendered from it, which passes axe like
every other page and makes no third-party request."""

from urllib.parse import urlsplit

import pytest

from ctoready.lib.browser import axe_violations

API = "/api/v1"


def test_openapi_document_lists_every_resource(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {f"{API}/attempts", f"{API}/attempts/{{attempt_id}}/answers/{{item_id}}"} <= paths
    assert schema["components"]["securitySchemes"]["Bearer"]["scheme"] == "bearer"
    pdf = schema["paths"][f"{API}/attempts/{{attempt_id}}/report.pdf"]["get"]["responses"]["200"]
    assert list(pdf["content"]) == ["application/pdf"]


def test_docs_page_lists_every_operation_from_the_openapi_document(client, db):
    document = client.get(f"{API}/openapi.json").json()
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and "<script" not in html
    for path, item in document["paths"].items():
        for method in item:
            assert f'{method.upper()} <span class="api-path">{path}</span>' in html, path
    assert "candidate_name" in html and "needs a bearer token" in html
    assert "https://" not in html


def test_docs_page_answers_head_like_get(client, db):
    assert client.head(f"{API}/docs").status_code == 200


@pytest.mark.browser
def test_docs_pass_axe_and_make_no_request_elsewhere(live_server, browser_page):
    page = browser_page
    outside: list[str] = []
    server = urlsplit(live_server.url).netloc

    def note(request):  # type: ignore[no-untyped-def]
        if urlsplit(request.url).netloc not in {server, ""} and request.url != "about:blank":
            outside.append(request.url)

    page.on("request", note)
    page.goto(f"{live_server.url}{API}/docs")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert not outside and not page.js_errors
