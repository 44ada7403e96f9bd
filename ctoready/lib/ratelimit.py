"""Count failures per client (token guessing, logins) and refuse past a limit.

Only failures count, and only for the client that failed, so a guesser never locks out
anyone else. A fixed window keeps it to one indexed row per client and window.
"""

import hashlib
import time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from ctoready.lib.clientaddr import client_address
from ctoready.lib.models import RateCounter


def client_key(request: HttpRequest, scope: str) -> str:
    address = client_address(request)
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"{scope}:{digest}"


WINDOW_SECONDS = 60


def _window() -> int:
    return int(time.time()) // WINDOW_SECONDS


def is_limited(request: HttpRequest, scope: str, limit: int) -> bool:
    """Whether this client already failed ``limit`` times in the current minute."""
    counter = RateCounter.objects.filter(
        key=client_key(request, scope), window=_window()
    ).values_list("count", flat=True)
    return bool(counter) and counter[0] >= limit


def record_failure(request: HttpRequest, scope: str) -> None:
    key, window = client_key(request, scope), _window()
    updated = RateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window=window, count=1)
        except IntegrityError:
            RateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)


def purge_old_counters() -> int:
    deleted, _ = RateCounter.objects.filter(window__lt=_window() - 1).delete()
    return deleted
