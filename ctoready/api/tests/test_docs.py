"""The OpenAPI document and the interactive docs, which work under the strict CSP and
make no third-party request."""

from urllib.parse import urlsplit

import pytest

API = "/api/v1"


def test_openapi_document_lists_every_resource(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {f"{API}/attempts", f"{API}/attempts/{{attempt_id}}/answers/{{item_id}}"} <= paths
    assert schema["components"]["securitySchemes"]["Bearer"]["scheme"] == "bearer"
    pdf = schema["paths"][f"{API}/attempts/{{attempt_id}}/report.pdf"]["get"]["responses"]["200"]
    assert list(pdf["content"]) == ["application/pdf"]


def test_docs_page_has_no_inline_script_and_no_third_party_url(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    nonce = csp.split("'nonce-", 1)[1].split("'", 1)[0]
    assert html.count("<script") == 3  # two files and the JSON settings (not executable)
    assert html.count(f'nonce="{nonce}"') == 2
    assert "cdn" not in html and "https://" not in html
    assert '"validatorUrl": null' in html


@pytest.mark.parametrize("name", ["swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"])
def test_docs_assets_are_served_compressed_and_cacheable(client, db, name):
    response = client.get(f"{API}/docs/assets/{name}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]


def test_docs_assets_are_only_the_listed_files(client, db):
    for name in ("swagger-ui-bundle.js.map", "..%2F__init__.py", "redoc.standalone.js"):
        assert client.get(f"{API}/docs/assets/{name}").status_code == 404


@pytest.mark.browser
def test_docs_render_operations_in_chromium_without_csp_errors(live_server, browser_page):
    page = browser_page
    console: list[str] = []
    outside: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    server = urlsplit(live_server.url).netloc

    def note(request):  # type: ignore[no-untyped-def]
        if urlsplit(request.url).netloc not in {server, ""} and request.url != "about:blank":
            outside.append(request.url)

    page.on("request", note)
    page.goto(f"{live_server.url}{API}/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/attempts/{attempt_id}/finish" in p.replace("\u200b", "") for p in paths)
    assert not outside
    assert not [line for line in console if "Content Security Policy" in line]
    assert not page.js_errors
