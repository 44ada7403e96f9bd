"""Sliding-window limits: no burst at a window's edge, a steady recovery, one client
never limits another. The clock is held still and moved by each test."""

import pytest
from django.test import RequestFactory

from ctoready.lib import ratelimit

pytestmark = pytest.mark.django_db

LIMIT = 20


def client(address: str = "203.0.113.9"):  # type: ignore[no-untyped-def]
    return RequestFactory().get("/", REMOTE_ADDR=address)


def to_window_end(clock) -> None:  # type: ignore[no-untyped-def]
    """From the middle of a minute to a tenth of a second before the next one."""
    clock.shift(29.9)


def test_failures_past_the_limit_are_refused_and_counted_per_client(clock):
    guesser = client()
    for _ in range(LIMIT):
        assert not ratelimit.is_limited(guesser, "token", LIMIT)
        ratelimit.record_failure(guesser, "token")
    assert ratelimit.is_limited(guesser, "token", LIMIT)
    assert not ratelimit.is_limited(client("198.51.100.4"), "token", LIMIT)


def test_no_second_burst_across_a_window_edge(clock):
    """A fixed window let a guesser try 20 times just before a minute ended and 20 more
    just after it: 40 tries in a fraction of a second. Now the minute before still counts
    in full at the edge (one more try slips through the weighting, not twenty)."""
    guesser = client()
    to_window_end(clock)
    tries = 0
    for _ in range(20):  # two seconds of tries across the edge, ten a second
        for _ in range(10):
            if not ratelimit.is_limited(guesser, "token", LIMIT):
                ratelimit.record_failure(guesser, "token")
                tries += 1
        clock.shift(0.1)
    assert tries <= LIMIT + 1


def test_the_allowance_comes_back_as_the_window_slides(clock):
    starter = client()
    to_window_end(clock)
    assert sum(ratelimit.allow(starter, "start", 10) for _ in range(15)) == 10
    clock.shift(0.2 + 30)  # half of the full window has slid past
    assert sum(ratelimit.allow(starter, "start", 10) for _ in range(15)) == 5
    clock.shift(60)  # the five granted last count for half
    assert sum(ratelimit.allow(starter, "start", 10) for _ in range(15)) == 7


def test_a_cost_counts_as_many_and_a_refused_request_counts_nothing(clock):
    key = "invite-email:attempt:1"
    assert ratelimit.take(key, 10, cost=8)
    assert not ratelimit.take(key, 10, cost=3)
    assert ratelimit.take(key, 10, cost=2)
    assert not ratelimit.take(key, 10)
    assert ratelimit.used(key) == 10


def test_old_counters_are_purged(clock):
    ratelimit.record_failure(client(), "token")
    assert ratelimit.purge_old_counters() == 0
    clock.shift(2 * ratelimit.LONGEST_WINDOW + 60)
    assert ratelimit.purge_old_counters() == 1
