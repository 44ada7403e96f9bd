"""Sessions in the database, read without the ORM's query compiler.

Django's database sessions, unchanged in what they store and how they expire (so
``clearsessions``, logout and key cycling work as documented, and every server of a
cluster shares them), except that the one read every request makes goes through
:mod:`ctoready.lib.rows`: about a tenth of a page request through the ORM; and that a
session's signed data, the same on every request until it changes, has its signature
checked and its text unpacked once per process (:func:`_verified_json`).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import connections, router
from django.utils import timezone

from ctoready.lib.rows import Found, Read, Select, together

_CURRENT = Select(
    Session,
    where="t0.session_key = %s AND t0.expire_date > %s",
    only=("session_data",),
)


class SessionStore(db.SessionStore):
    def read(self) -> Read:
        """The read that loads this session (it has a key): for ``rows.together``, which
        can make it in the same round trip as others."""
        connection = connections[router.db_for_read(Session)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return _CURRENT.read([self.session_key, now])

    def load(self) -> dict:  # type: ignore[type-arg]
        if not self.session_key:
            self._session_key = None
            return {}
        return self.load_found(together(self.read())[0])

    def load_found(self, found: Found[Session]) -> dict[str, Any]:
        """The session's data from what its :meth:`read` found."""
        values = found.values()
        if not values:
            self._session_key = None  # unknown or expired: a new session, as Django does
            return {}
        return self.decode(values[0][0])

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        """As Django decodes (a bad signature is logged and gives an empty session), with
        the checked data kept: a fresh copy every time, since a request changes it."""
        if not isinstance(session_data, str) or self.serializer is not signing.JSONSerializer:
            decoded: dict[str, Any] = super().decode(session_data)
            return decoded
        try:
            text = _verified_json(session_data, self.key_salt)
        except Exception:  # whatever Django's decode refuses, it reports itself
            refused: dict[str, Any] = super().decode(session_data)
            return refused
        fresh: dict[str, Any] = json.loads(text)
        return fresh


@functools.lru_cache(maxsize=8192)
def _verified_json(session_data: str, salt: str) -> str:
    """Signed session data whose signature holds, as JSON text; a refusal raises, so only
    data this site signed is kept. Pure for a given secret key, which a process never
    changes; each active session is about 200 bytes here."""
    return json.dumps(signing.loads(session_data, salt=salt))
