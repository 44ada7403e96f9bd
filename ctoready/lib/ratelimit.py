"""Limits per client (token guessing, starting attempts, invitations), shared by every app
server through the database.

A sliding window: the count of the current window plus the previous window's count
weighted by how much of it still lies within the last ``window`` seconds. Unlike fixed
windows there is no burst at a window's edge (a fixed one-minute window let a guesser
make 40 tries in two seconds across a minute boundary). Each key keeps one indexed row
per window, incremented atomically (``count = count + 1``); the cache backends that need
no extra service cannot increment atomically across processes, and the rate-limiting
libraries we looked at keep their state in such a cache or in Redis.

The clock is ``time.time``, read in :func:`now` only; tests move it with time-machine.
"""

import hashlib
import time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from ctoready.lib.clientaddr import client_address
from ctoready.lib.models import RateCounter

MINUTE = 60
HOUR = 60 * 60
LONGEST_WINDOW = 24 * HOUR  # counters older than two of these are purged


def client_key(request: HttpRequest, scope: str) -> str:
    """Who the client is, for every limit (the address from ``client_address``)."""
    address = client_address(request)
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"{scope}:{digest}"


def now() -> float:
    return time.time()


def _windows(at: float, seconds: int) -> tuple[int, int, float]:
    """The current window's start, the previous one's, and the previous one's weight."""
    start = int(at // seconds) * seconds
    return start, start - seconds, 1 - (at - start) / seconds


def used(key: str, *, seconds: int = MINUTE) -> float:
    """How many events the key has in the last ``seconds`` (the sliding estimate)."""
    current, previous, weight = _windows(now(), seconds)
    counts = dict(
        RateCounter.objects.filter(key=key, window__in=[current, previous]).values_list(
            "window", "count"
        )
    )
    return counts.get(previous, 0) * weight + counts.get(current, 0)


def _add(key: str, window: int, amount: int) -> None:
    updated = RateCounter.objects.filter(key=key, window=window).update(count=F("count") + amount)
    if not updated and amount > 0:
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window=window, count=amount)
        except IntegrityError:
            RateCounter.objects.filter(key=key, window=window).update(count=F("count") + amount)


def take(key: str, limit: int, *, cost: int = 1, seconds: int = MINUTE) -> bool:
    """Count ``cost`` events for the key unless that would pass ``limit`` in the last
    ``seconds``; False (and nothing counted) when it would. Counting first and checking
    after means concurrent requests cannot all slip under the limit together."""
    current, _, _ = _windows(now(), seconds)
    _add(key, current, cost)
    if used(key, seconds=seconds) > limit:
        _add(key, current, -cost)
        return False
    return True


def allow(request: HttpRequest, scope: str, limit: int, *, cost: int = 1) -> bool:
    """Count a request of this client against ``limit`` a minute; False past it."""
    return take(client_key(request, scope), limit, cost=cost)


def is_limited(request: HttpRequest, scope: str, limit: int) -> bool:
    """Whether this client already failed ``limit`` times in the last minute."""
    return used(client_key(request, scope)) >= limit


def record_failure(request: HttpRequest, scope: str) -> None:
    """Only failures count for token guessing, so a guesser never locks out anyone else."""
    current, _, _ = _windows(now(), MINUTE)
    _add(client_key(request, scope), current, 1)


def purge_old_counters() -> int:
    deleted, _ = RateCounter.objects.filter(window__lt=now() - 2 * LONGEST_WINDOW).delete()
    return deleted
