"""Requests sent to the site's WSGI application as a server sends them.

Django's test client calls Django's handler directly, so it never meets what runs in
front of it (``ctoready.wsgi``: the hot paths of page GETs and autosaves). These helpers
build the same request environment the test client would and hand it to the whole
application.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from unittest import mock
from urllib.parse import urlencode
from wsgiref.types import WSGIApplication

from django.test import Client, RequestFactory

from ctoready.assessments import autosave, pagepath

FORM = "application/x-www-form-urlencoded"


@dataclass
class Response:
    status_code: int
    headers: list[tuple[str, str]]
    content: bytes
    cookies: SimpleCookie = field(default_factory=SimpleCookie)

    def __getitem__(self, name: str) -> str:
        found = [value for key, value in self.headers if key.lower() == name.lower()]
        if not found:
            raise KeyError(name)
        return found[-1]

    def __contains__(self, name: str) -> bool:
        return any(key.lower() == name.lower() for key, _ in self.headers)

    def json(self) -> Any:
        return json.loads(self.content)


def post(
    path: str,
    data: Mapping[str, str],
    *,
    headers: Mapping[str, str] | None = None,
    client: Client | None = None,
    content_type: str = FORM,
    secure: bool = False,
    app: WSGIApplication | None = None,
    real_connections: bool = False,
) -> Response:
    """POST ``data`` to ``path`` through ``app`` (by default ``ctoready.wsgi.application``),
    with ``client``'s cookies when one is given (the response's cookies are not stored
    back). The test's database connection is kept open unless ``real_connections``."""
    body: Any = urlencode(data) if content_type == FORM else data
    request = RequestFactory().post(
        path, body, content_type=content_type, headers=headers, secure=secure, **cookies_of(client)
    )
    return send(request.environ, app=app, real_connections=real_connections)


def get(
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    client: Client | None = None,
    secure: bool = False,
    app: WSGIApplication | None = None,
) -> Response:
    """GET ``path`` (with its query string) as :func:`post` posts."""
    request = RequestFactory().get(path, headers=headers, secure=secure, **cookies_of(client))
    return send(request.environ, app=app)


def cookies_of(client: Client | None) -> dict[str, Any]:
    """The ``Cookie`` header of ``client``'s cookies, as a WSGI environ's entry."""
    if client is None or not client.cookies:
        return {}
    return {"HTTP_COOKIE": "; ".join(f"{k}={m.value}" for k, m in client.cookies.items())}


def send(
    environ: dict[str, Any], *, app: WSGIApplication | None = None, real_connections: bool = False
) -> Response:
    """The response of ``app`` (by default ``ctoready.wsgi.application``) to ``environ``.

    The site's application is imported only when it is used: Django's middleware read
    some settings once, when it is built, so a test that changes them passes an ``app``
    built under them, and must not be the one to build the site's."""
    if app is None:
        from ctoready.wsgi import application

        app = application
    out: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info=None):  # type: ignore[no-untyped-def]
        out["status"], out["headers"] = status, response_headers

    with contextlib.nullcontext() if real_connections else connections_kept():
        chunks = app(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
    cookies: SimpleCookie = SimpleCookie()
    for key, value in out["headers"]:
        if key.lower() == "set-cookie":
            cookies.load(value)
    return Response(int(out["status"].split()[0]), out["headers"], content, cookies)


@contextmanager
def connections_kept() -> Iterator[None]:
    """As Django's test client does for its requests: the database connection a test runs
    in (a transaction the test rolls back) is not closed between requests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with (
            mock.patch.object(autosave, "close_old_connections", return_value=None),
            mock.patch.object(pagepath, "close_old_connections", return_value=None),
        ):
            yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
