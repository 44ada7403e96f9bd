"""A small asyncio HTTP/1.1 client with keep-alive and cookies, for load on 127.0.0.1.

No dependency beyond the standard library: one connection per simulated person, reused
for every request, as a browser does. It understands just enough HTTP for our servers:
Content-Length and chunked bodies, Set-Cookie, redirects left to the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.parse
from dataclasses import dataclass, field

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class HTTPError(Exception):
    """A transport failure or a malformed response."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """One person's connection and cookie jar."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    def __post_init__(self) -> None:
        if self.host not in LOOPBACK:
            raise ValueError(f"load goes to this machine only, not {self.host}")

    async def _connect(self) -> None:
        await self.close()
        self._reader, self._writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port), self.timeout
        )

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return await self.request("GET", path, headers=headers)

    async def post(
        self, path: str, form: dict[str, str], headers: dict[str, str] | None = None
    ) -> Response:
        body = urllib.parse.urlencode(form).encode()
        extra = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return await self.request("POST", path, headers=extra, body=body)

    async def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> Response:
        start = time.perf_counter()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        # A kept-alive connection the server has closed fails before any byte of the
        # response; only then is the request sent again, on a new connection.
        for attempt in (1, 2):
            fresh = self._writer is None
            if fresh:
                await self._connect()
            try:
                response = await asyncio.wait_for(self._exchange(raw), self.timeout)
            except (_StaleConnectionError, ConnectionError) as exc:
                await self.close()
                if fresh or attempt == 2:
                    raise HTTPError(f"{method} {path}: {exc!r}") from exc
                continue
            except TimeoutError as exc:
                await self.close()
                raise HTTPError(f"{method} {path}: timed out") from exc
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
                await self.close()
                raise HTTPError(f"{method} {path}: broken response: {exc!r}") from exc
            response.seconds = time.perf_counter() - start
            return response
        raise AssertionError("unreachable")

    async def _exchange(self, raw: bytes) -> Response:
        assert self._reader is not None and self._writer is not None
        self._writer.write(raw)
        await self._writer.drain()
        try:
            head = await self._reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if not exc.partial:
                raise _StaleConnectionError("closed by the server") from exc
            raise HTTPError("truncated response head") from exc
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        try:
            status = int(status_line.split(" ", 2)[1])
        except (IndexError, ValueError) as exc:
            raise HTTPError(f"bad status line {status_line!r}") from exc
        headers: dict[str, str] = {}
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                self._store_cookie(value)
            headers[name] = value
        body = await self._read_body(headers)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, body, 0.0)

    async def _read_body(self, headers: dict[str, str]) -> bytes:
        assert self._reader is not None
        if "content-length" in headers:
            return await self._reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self._reader.readuntil(b"\r\n")
                    return b"".join(chunks)
                chunks.append(await self._reader.readexactly(size))
                await self._reader.readexactly(2)
        body = await self._reader.read()
        await self.close()
        return body

    def _store_cookie(self, header: str) -> None:
        pair, *attributes = header.split(";")
        name, _, value = pair.strip().partition("=")
        expired = (
            any(a.strip().lower() in {"max-age=0", "max-age=-1"} for a in attributes)
            or value.strip('"') == ""
        )
        if expired:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value


class _StaleConnectionError(Exception):
    pass
