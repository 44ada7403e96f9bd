"""Where ``ctoready take`` sends its calls: this server's services, or a server's API.

Both backends return the same dicts as the JSON API (see :mod:`ctoready.api.present`), so
the terminal flow does not know which one it talks to.
"""

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Protocol

API_PREFIX = "/api/v1"
TIMEOUT = 60


class TakeError(Exception):
    def __init__(self, code: str, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class Backend(Protocol):
    target: str

    def instruments(self) -> list[dict[str, Any]]: ...
    def start(self, *, instrument: str | None, context: str, lang: str) -> dict[str, Any]: ...
    def attempt(self, aid: str, token: str) -> dict[str, Any]: ...
    def page(self, aid: str, token: str, number: int) -> dict[str, Any]: ...
    def save(self, aid: str, token: str, item: str, value: Any, seq: int) -> dict[str, Any]: ...
    def finish(self, aid: str, token: str) -> dict[str, Any]: ...
    def summary(self, aid: str, token: str) -> dict[str, Any]: ...
    def report(self, aid: str, token: str, fmt: str) -> bytes: ...


class RemoteBackend:
    """The JSON API of a server, over urllib (no extra HTTP client)."""

    def __init__(self, url: str) -> None:
        self.base = url.rstrip("/")
        self.target = self.base

    def _call(self, method: str, path: str, token: str | None = None, body: Any = None) -> bytes:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = self.base + API_PREFIX + path
        if not url.startswith(("http://", "https://")):
            raise TakeError("bad_url", f"Not an http(s) URL: {self.base}")
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            try:
                error = json.loads(exc.read())["error"]
                raise TakeError(error["code"], error["message"], exc.code) from exc
            except (ValueError, KeyError, TypeError):
                raise TakeError(f"http_{exc.code}", str(exc), exc.code) from exc
        except urllib.error.URLError as exc:
            raise TakeError("unreachable", f"Cannot reach {self.base}: {exc.reason}") from exc

    def _json(self, method: str, path: str, token: str | None = None, body: Any = None) -> Any:
        return json.loads(self._call(method, path, token, body))

    def instruments(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/instruments"))

    def start(self, *, instrument: str | None, context: str, lang: str) -> dict[str, Any]:
        body = {"instrument": instrument, "context": context, "lang": lang}
        return dict(self._json("POST", "/attempts", body=body))

    def attempt(self, aid: str, token: str) -> dict[str, Any]:
        return dict(self._json("GET", f"/attempts/{aid}", token))

    def page(self, aid: str, token: str, number: int) -> dict[str, Any]:
        return dict(self._json("GET", f"/attempts/{aid}/pages/{number}", token))

    def save(self, aid: str, token: str, item: str, value: Any, seq: int) -> dict[str, Any]:
        body = {"value": value, "seq": seq}
        return dict(self._json("PUT", f"/attempts/{aid}/answers/{item}", token, body))

    def finish(self, aid: str, token: str) -> dict[str, Any]:
        return dict(self._json("POST", f"/attempts/{aid}/finish", token))

    def summary(self, aid: str, token: str) -> dict[str, Any]:
        return dict(self._json("GET", f"/attempts/{aid}/report/summary", token))

    def report(self, aid: str, token: str, fmt: str) -> bytes:
        path = f"/attempts/{aid}/report" + (".pdf" if fmt == "pdf" else "")
        return self._call("GET", path, token)


class LocalBackend:
    """This installation's database, through the same services the API calls."""

    target = "local"

    def _attempt(self, aid: str, token: str) -> Any:
        from ctoready.assessments.models import Link
        from ctoready.assessments.services import resolve_link

        link = resolve_link(token=token, purpose=Link.Purpose.RESUME)
        if link is None or link.attempt.public_id != aid:
            raise TakeError("not_found", "No such assessment here (or its link expired).", 404)
        return link.attempt

    def _flow(self, func: Any, **kwargs: Any) -> Any:
        from ctoready.assessments.services import FlowError

        try:
            return func(**kwargs)
        except FlowError as exc:
            raise TakeError(exc.code, exc.message) from exc

    def instruments(self) -> list[dict[str, Any]]:
        from ctoready.api import present
        from ctoready.instruments.services import published_versions

        versions = sorted(published_versions(), key=lambda v: (v.instrument.slug, v.semver))
        return [present.instrument(v) for v in reversed(versions)]

    def start(self, *, instrument: str | None, context: str, lang: str) -> dict[str, Any]:
        from ctoready.api import present
        from ctoready.assessments.services import start_attempt
        from ctoready.instruments.services import latest_version

        version = latest_version(slug=instrument, locale=lang)
        if version is None:
            raise TakeError("not_found", "No published instrument matches.", 404)
        attempt, token = self._flow(
            start_attempt, version=version, context=context, locale=version.locale
        )
        return {"attempt": present.attempt(attempt, answers={}), "token": token}

    def attempt(self, aid: str, token: str) -> dict[str, Any]:
        from ctoready.api import present

        return present.attempt(self._attempt(aid, token))

    def page(self, aid: str, token: str, number: int) -> dict[str, Any]:
        from ctoready.api import present

        return present.page(self._attempt(aid, token), number)

    def save(self, aid: str, token: str, item: str, value: Any, seq: int) -> dict[str, Any]:
        from ctoready.assessments.services import save_answers

        attempt = self._attempt(aid, token)
        result = self._flow(save_answers, attempt=attempt, values={item: value}, seq=seq)[0]
        return {"item": item, "saved": result.saved}

    def finish(self, aid: str, token: str) -> dict[str, Any]:
        from ctoready.api import present
        from ctoready.reports.services import finish_attempt

        attempt = self._attempt(aid, token)
        report = self._flow(finish_attempt, attempt=attempt)
        return present.report_summary(attempt, report)

    def summary(self, aid: str, token: str) -> dict[str, Any]:
        from ctoready.api import present, renderings

        attempt = self._attempt(aid, token)
        return present.report_summary(attempt, renderings.report_of(attempt))

    def report(self, aid: str, token: str, fmt: str) -> bytes:
        from ctoready.api import renderings

        return renderings.render(self._attempt(aid, token), fmt)


def default_state_file() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "ctoready" / "take.json"


class StateFile:
    """Each target's attempt id and bearer token, readable only by its owner (0600)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _all(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, target: str) -> dict[str, str] | None:
        entry = self._all().get(target)
        if isinstance(entry, dict) and {"attempt", "token"} <= set(entry):
            return {"attempt": str(entry["attempt"]), "token": str(entry["token"])}
        return None

    def put(self, target: str, attempt: str, token: str) -> None:
        self._write({**self._all(), target: {"attempt": attempt, "token": token}})

    def forget(self, target: str) -> None:
        data = self._all()
        data.pop(target, None)
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle, indent=2)
        os.replace(tmp, self.path)
