"""An answer written while the attempt is being finished: it waits for the finish, then
is refused; it never lands unseen by the report it was acknowledged for.

On SQLite one transaction writes at a time, so the two cannot overlap; on PostgreSQL the
write locks the attempt row (FOR KEY SHARE) against the finish's FOR UPDATE.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from ctoready.assessments import services
from ctoready.assessments.models import Answer, Attempt

pytestmark = pytest.mark.django_db(transaction=True)

HOLD = 0.5  # seconds the finish keeps the attempt locked


def finishing(attempt_pk: int, locked: threading.Event) -> threading.Thread:
    """A finish in another connection: the attempt locked FOR UPDATE, a moment's work,
    then closed."""

    def run() -> None:
        try:
            with transaction.atomic():
                row = Attempt.objects.select_for_update().get(pk=attempt_pk)
                locked.set()
                time.sleep(HOLD)
                row.status = Attempt.Status.FINISHED
                row.save(update_fields=["status"])
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.fixture
def attempt(version):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time: no overlap to test")
    return services.start_attempt(version=version, context="growth", locale="en")[0]


def test_an_autosave_during_a_finish_waits_and_is_refused(attempt):
    locked = threading.Event()
    thread = finishing(attempt.pk, locked)
    assert locked.wait(10)
    started = time.monotonic()
    saved = services.save_if_open(
        attempt_pk=attempt.pk, item_id="st-1", value=4, seq=5, part="core"
    )
    waited = time.monotonic() - started
    thread.join(10)
    assert saved is None  # closed by the finish it waited for
    assert waited > HOLD / 2
    assert not Answer.objects.filter(attempt_id=attempt.pk).exists()


def test_a_page_post_during_a_finish_waits_and_is_refused(attempt):
    locked = threading.Event()
    thread = finishing(attempt.pk, locked)
    assert locked.wait(10)
    with pytest.raises(services.FlowError) as refused:
        services.save_answers(attempt=attempt, values={"st-1": 4, "st-2": 2}, seq=5)
    thread.join(10)
    assert refused.value.code == "finished"
    assert not Answer.objects.filter(attempt_id=attempt.pk).exists()
