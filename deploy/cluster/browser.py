"""A small synchronous HTTP/1.1 client for the cluster checks: one cookie jar, one
keep-alive connection, and a chosen source address on loopback (127.0.0.2 is another
client as far as nginx can tell)."""

from __future__ import annotations

import http.client
import http.cookies
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def tried(self) -> list[str]:
        """Every app server nginx tried, in order (the cluster's X-Upstream header)."""
        return [s.strip() for s in self.headers.get("X-Upstream", "").split(",") if s.strip()]

    @property
    def upstream(self) -> str:
        """The app server that answered."""
        return (self.tried or [""])[-1]

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    port: int
    source: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    history: list[Response] = field(default_factory=list)
    _conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
            )
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        send = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            send["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=send)
                raw = conn.getresponse()
                response = Response(raw.status, raw.headers, raw.read())
                break
            except (ConnectionError, http.client.HTTPException):
                # nginx closed an idle keep-alive connection: reconnect once. A request
                # that nginx answered is never sent twice.
                self.close()
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        self.history.append(response)
        return response

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(
        self, path: str, form: dict[str, str], headers: dict[str, str] | None = None
    ) -> Response:
        return self.request("POST", path, form=form, headers=headers)
