"""Sessions in the database, read without the ORM's query compiler.

Django's database sessions, unchanged in what they store and how they expire (so
``clearsessions``, logout and key cycling work as documented, and every server of a
cluster shares them), except that the one read every request makes goes through
:mod:`ctoready.lib.rows`: about a tenth of a page request through the ORM.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from ctoready.lib.rows import Select

_CURRENT = Select(
    Session,
    where="t0.session_key = %s AND t0.expire_date > %s",
    only=("session_data",),
)


class SessionStore(db.SessionStore):
    def load(self) -> dict:  # type: ignore[type-arg]
        if not self.session_key:
            self._session_key = None
            return {}
        connection = connections[router.db_for_read(Session)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = _CURRENT.values([self.session_key, now])
        if not found:
            self._session_key = None  # unknown or expired: a new session, as Django does
            return {}
        return self.decode(found[0][0])
