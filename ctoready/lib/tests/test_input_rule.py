"""One input rule for every text field: control characters are refused with a clear 4xx
and change nothing, on SQLite and PostgreSQL alike (where NUL used to be a 500).

Driven from the inventories, so a new field is covered without a new test: every string
slot of every operation in the OpenAPI document (body, path and query), and every field
of every form on every page the route inventory reaches, as the person who may use it.
"""

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from ctoready.assessments import services
from ctoready.lib.input import has_forbidden
from ctoready.lib.tests.test_routes import (
    CANDIDATE,
    PUBLIC,
    RATER,
    ROUTES,
    SELF,
    database_state,
    url_for,
    url_patterns,
    world,  # noqa: F401 (a fixture, used by name)
)

pytestmark = pytest.mark.django_db

BAD = "a\x00b"
EXAMPLES = {"context": "growth", "category": "peer", "emails": ["carol@example.com"]}
FORM_PAGES = ["/account/login/", "/account/signup/", "/account/password/reset/"]


def test_the_rule_refuses_controls_but_not_tabs_and_line_breaks():
    assert not has_forbidden("two\tcolumns\r\nand lines\n, accents é and emoji 🙂")
    for char in ("\x00", "\x08", "\x1b", "\x7f", "\x85", "\ud800"):
        assert has_forbidden(f"a{char}b"), repr(char)


# The API ---------------------------------------------------------------------------


def resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def example(schema: dict[str, Any], document: dict[str, Any], name: str = "") -> Any:
    """A value the schema accepts (near enough: the rule is checked before the schema)."""
    schema = resolve(schema, document)
    if name in EXAMPLES:
        return EXAMPLES[name]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return example(schema["anyOf"][0], document)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: example(sub, document, key) for key, sub in props.items()}
    if kind == "array":
        return [example(schema["items"], document)]
    return {"integer": 1, "boolean": False, "number": 1.0}.get(kind or "", "x")


def string_slots(schema: dict[str, Any], document: dict[str, Any]) -> list[list[Any]]:
    """The paths, in an example body, of every place a string can go."""
    schema = resolve(schema, document)
    branches = schema.get("anyOf", [schema])
    slots: list[list[Any]] = []
    for branch in (resolve(b, document) for b in branches):
        kind = branch.get("type")
        if kind == "string":
            slots.append([])
        elif kind == "object":
            for key, sub in branch.get("properties", {}).items():
                slots += [[key, *rest] for rest in string_slots(sub, document)]
        elif kind == "array":
            slots += [[0, *rest] for rest in string_slots(branch["items"], document)]
    return slots


def put(body: Any, slot: list[Any], value: str) -> Any:
    if not slot:
        return value
    head, *rest = slot
    body = list(body) if isinstance(body, list) else dict(body or {})
    body[head] = put(body[head] if isinstance(body, list) or head in body else None, rest, value)
    return body


def api_calls(document: dict[str, Any]) -> list[tuple[str, str, str, str, Any]]:
    """(where, method, path template, url, body) with one string slot holding NUL."""
    calls = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            body_schema = op.get("requestBody", {}).get("content", {})
            body_schema = body_schema.get("application/json", {}).get("schema")
            base = example(body_schema, document) if body_schema else None
            for slot in string_slots(body_schema, document) if body_schema else []:
                calls.append((f"body {slot}", method, path, path, put(base, slot, BAD)))
            for param in op.get("parameters", []):
                if resolve(param["schema"], document).get("type") != "string":
                    continue
                if param["in"] == "path":
                    url = path.replace("{" + param["name"] + "}", "a%00b")
                else:
                    url = f"{path}?{param['name']}=a%00b"
                calls.append((f"{param['in']} {param['name']}", method, path, url, base))
    return calls


def test_every_string_of_every_api_operation_refuses_control_characters(world):  # noqa: F811
    document = world["anonymous"].get("/api/v1/openapi.json").json()
    attempt = world["done"].public_id
    owner = services.create_link(attempt=world["done"], purpose="resume")
    calls = api_calls(document)
    assert len(calls) > 30
    before = database_state()
    for where, method, path, url, body in calls:
        url = re.sub(r"\{attempt_id\}", attempt, url)
        url = re.sub(r"\{[a-z_]+\}", "x", url)
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {owner}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(world["anonymous"], method)(url, **kwargs)
        assert response.status_code == 422, (method, path, where, response.status_code)
        assert response.json()["error"]["code"] == "invalid_characters", (path, where)
    assert database_state() == before


# Web forms -------------------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: action, method, and each field's name, kind and value."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []}
            )
        elif tag in {"input", "textarea", "select"} and self.forms and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            if kind in {"radio", "checkbox"} and any(
                f[0] == a["name"] for f in self.forms[-1]["fields"]
            ):
                return
            self.forms[-1]["fields"].append((a["name"], kind, a.get("value", "")))


TEXT_KINDS = {"text", "email", "search", "password", "textarea", "url", "tel"}


def pages(cast: dict[str, Any]) -> list[tuple[Client, str]]:
    found = []
    for route, name in url_patterns():
        category = ROUTES.get(name)
        if category not in {PUBLIC, SELF, CANDIDATE, RATER} or "<str:token>" in route:
            continue
        client = cast["rater"] if category == RATER else cast["alice"]
        url = url_for(name, route, cast)
        found.append((client, url))
        if name == "raters:rate_page":  # the comments are on the last page
            found += [(client, url.replace("/p/1/", f"/p/{n}/")) for n in range(2, 6)]
    return found + [(Client(), page) for page in FORM_PAGES]


def test_every_field_of_every_form_refuses_control_characters(world):  # noqa: F811
    before = database_state()
    tried = 0
    for client, page in pages(world):
        response = client.get(page, follow=True)
        if response.status_code == 404:
            continue  # past the last rater page
        parser = Forms()
        parser.feed(response.content.decode(errors="replace"))
        for form in parser.forms:
            action = form["action"] or page
            data = {name: value or "1" for name, _kind, value in form["fields"]}
            for name, kind, _value in form["fields"]:
                if kind not in TEXT_KINDS:
                    continue
                sent = {**data, name: BAD}
                send = client.post if form["method"].lower() == "post" else client.get
                result = send(action, sent)
                tried += 1
                assert result.status_code == 400, (page, action, name, result.status_code)
                assert b"control characters" in result.content
    assert tried >= 10
    assert database_state() == before


def test_an_address_with_control_characters_is_not_found_or_refused_in_the_api():
    assert Client().get("/a/a%00b/report/").status_code == 404
    response = Client().get("/api/v1/attempts/a%00b", HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_characters"


def test_a_bad_host_on_an_api_path_is_answered_in_json():
    response = Client(HTTP_HOST="evil.example").get("/api/v1/instruments")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "http_400"
