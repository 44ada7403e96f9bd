"""The hot path's hand-written reads give exactly the objects and values the ORM gives, and
its statements run on the driver's connection with Django's guarantees kept."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, ProgrammingError, close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ctoready.assessments import services
from ctoready.assessments.models import Answer, Attempt
from ctoready.lib import sessions
from ctoready.lib.rows import Select, direct, direct_many, together
from ctoready.lib.sessions import SessionStore

pytestmark = pytest.mark.django_db

BY_PUBLIC_ID = Select(
    Attempt,
    where="t0.public_id = %s",
    related=("version", "version__instrument"),
    defer=("version__content",),
)


def values(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def attempt(version):
    attempt, _token = services.start_attempt(version=version, context="growth", locale="en")
    attempt.finished_at = timezone.now() - dt.timedelta(minutes=3)  # a datetime, set
    attempt.adaptive_state = {"theta": [0.25, -1.5], "note": "é"}  # JSON, non-ASCII
    attempt.save()
    return attempt


def test_an_attempt_and_its_version_are_the_objects_the_orm_gives(attempt):
    orm = Attempt.objects.select_related("version__instrument").get(pk=attempt.pk)
    with CaptureQueriesContext(connection) as queries:
        read = BY_PUBLIC_ID.one([attempt.public_id])
        assert values(read) == values(orm)
        assert read.finished_at.tzinfo is not None and read.adaptive_state["note"] == "é"
        assert read.version.content_hash == orm.version.content_hash
        assert read.version.instrument.slug == orm.version.instrument.slug
        assert read.version.is_published == orm.version.is_published
    assert len(queries) == 1  # the related objects came with the row
    assert read.version.get_deferred_fields() == {"content"}
    assert read.version.content == orm.version.content  # read when asked for
    assert read._state.db == "default" and not read._state.adding
    read.save(update_fields=["email"])  # an instance like any other


def test_nothing_found_is_none_and_values_come_as_the_orm_decodes_them(attempt, version):
    assert BY_PUBLIC_ID.one(["no-such-attempt"]) is None
    services.save_answers(
        attempt=attempt,
        values={"st-1": 4, "sjt-costs": {"best": "b", "worst": "c"}},
        seq=7,
    )
    Answer.objects.create(attempt=attempt, item_id="skipped", value=None, seq=8)
    reader = Select(Answer, where="t0.attempt_id = %s", only=("item_id", "value", "seq"))
    got = sorted(reader.values([attempt.pk]))
    want = sorted(Answer.objects.filter(attempt=attempt).values_list("item_id", "value", "seq"))
    assert got == want
    assert ("skipped", None, 8) in got and ("sjt-costs", {"best": "b", "worst": "c"}, 7) in got


def test_what_the_reader_cannot_do_is_refused_when_it_is_written():
    with pytest.raises(ValueError, match="non-null foreign keys"):
        Select(Attempt, where="t0.id = %s", related=("owner",))
    with pytest.raises(ValueError, match="primary key"):
        Select(Attempt, where="t0.id = %s", defer=("id",))
    with pytest.raises(ValueError, match="no related tables"):
        Select(Attempt, where="t0.id = %s", related=("version",), only=("id",))
    with pytest.raises(ValueError, match="primary key read"):
        Select(Attempt, where="t0.id = %s", only=("status",)).all([1])


def test_sessions_are_read_as_django_stores_them_and_expired_ones_are_not(version):
    client = Client()
    client.post("/start/", {"context": "growth", "lang": "en"})
    key = client.cookies["sessionid"].value
    held = SessionStore(key)
    assert held["attempts"] == [Attempt.objects.latest("pk").pk]
    assert held.session_key == key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.get("attempts") is None and expired.session_key is None
    assert SessionStore("no-such-session-key").load() == {}
    assert SessionStore().load() == {}
    # The browser with the expired session no longer reaches its attempt.
    attempt = Attempt.objects.latest("pk")
    assert client.get(f"/a/{attempt.public_id}/p/1/").status_code == 404


def test_a_session_read_again_is_a_fresh_copy_and_a_forged_one_is_refused(caplog):
    store = SessionStore()
    data = store.encode({"attempts": [1, 2], "lang": "fr"})
    first = SessionStore().decode(data)
    first["attempts"].append(3)  # a request changes its session...
    assert SessionStore().decode(data) == {"attempts": [1, 2], "lang": "fr"}  # ...not the next
    forged = data[:-2] + ("AA" if not data.endswith("AA") else "BB")
    kept = sessions._verified_json.cache_info().currsize
    with caplog.at_level("WARNING", logger="django.security.SuspiciousSession"):
        assert SessionStore().decode(forged) == {}
    assert "Session data corrupted" in caplog.text
    assert sessions._verified_json.cache_info().currsize == kept  # nothing kept of it


def test_json_values_decode_as_the_orm_decodes_them(attempt):
    stored = [0, 4, 10, 12345678901234567890, -1, 1.5, True, False, "04", "²", "text", [1, 2]]
    stored += [{"best": "a", "worst": None}, None]
    for n, value in enumerate(stored):
        Answer.objects.create(attempt=attempt, item_id=f"i{n}", value=value, seq=n)
    reader = Select(Answer, where="t0.attempt_id = %s", only=("item_id", "value"))
    got = dict(reader.values([attempt.pk]))
    want = dict(Answer.objects.filter(attempt=attempt).values_list("item_id", "value"))
    assert got == want
    assert [type(got[f"i{n}"]) for n in range(len(stored))] == [type(v) for v in stored]


def test_a_direct_statement_answers_as_the_cursor_does_and_is_counted_as_a_query():
    sql = "SELECT %s || '%%', %s"  # a literal percent sign, written as Django writes it
    with connection.cursor() as cursor:
        cursor.execute(sql, ["50", 7])
        want = cursor.fetchall()
    with CaptureQueriesContext(connection) as queries:
        got = direct(sql, ["50", 7])
    assert [tuple(row) for row in got] == [tuple(row) for row in want] == [("50%", 7)]
    assert len(queries) == 1 and queries[0]["sql"].startswith(sql)


def test_a_direct_statement_that_returns_no_rows_gives_none_and_does_its_work(attempt):
    sql = "UPDATE assessments_attempt SET locale = %s WHERE id = %s"
    assert direct(sql, ["fr", attempt.pk]) == []
    attempt.refresh_from_db()
    assert attempt.locale == "fr"


@pytest.mark.django_db(transaction=True)
def test_a_statement_that_fails_for_itself_raises_and_the_connection_is_kept():
    close_old_connections()  # as a request starts: the connection is not yet checked
    direct("SELECT 1", [])
    before = connection.connection
    # SQLite reports a missing table as an OperationalError, PostgreSQL as a
    # ProgrammingError: either way the connection is sound, so nothing is run again.
    close_old_connections()
    with pytest.raises((OperationalError, ProgrammingError)):
        direct("SELECT * FROM no_such_table", [])
    assert connection.connection is before
    assert direct("SELECT 2", []) == [(2,)]


def postgresql_only(reason):
    """A test of what PostgreSQL alone does, in transactions of its own; skipped on SQLite
    with ``reason`` (``make test`` runs the suite on both)."""
    skip = pytest.mark.skipif(connection.vendor != "postgresql", reason=reason)
    return lambda test: pytest.mark.django_db(transaction=True)(skip(test))


NO_SERVER = "SQLite has no server to drop a connection; make test runs this on PostgreSQL"


def drop_from_server(pid):
    """The database server ends the connection served by process ``pid`` (a restart, an
    idle timeout)."""
    import psycopg

    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@postgresql_only(NO_SERVER)
def test_a_connection_the_database_dropped_is_replaced_and_the_statement_run_again():
    ((pid,),) = direct("SELECT pg_backend_pid()", [])
    drop_from_server(pid)
    close_old_connections()  # the next request starts on the dropped connection
    ((new_pid,),) = direct("SELECT pg_backend_pid()", [])
    assert new_pid != pid
    # Checked once per request: a second drop in the same request is an error.
    drop_from_server(new_pid)
    with pytest.raises(OperationalError):
        direct("SELECT 1", [])
    connection.close()  # as the request's end does with a connection that had errors


def test_reads_together_give_what_each_gives_alone_in_one_round_trip_on_postgresql(attempt):
    services.save_answers(attempt=attempt, values={"st-1": 4, "le-1": 2}, seq=3)
    answers = Select(Answer, where="t0.attempt_id = %s", only=("item_id", "value"))
    with CaptureQueriesContext(connection) as queries:
        found_attempt, found_answers, nothing = together(
            BY_PUBLIC_ID.read([attempt.public_id]),
            answers.read([attempt.pk]),
            BY_PUBLIC_ID.read(["no-such-attempt"]),
        )
    assert values(found_attempt.one()) == values(BY_PUBLIC_ID.one([attempt.public_id]))
    assert found_attempt.one().version.instrument.slug == attempt.version.instrument.slug
    assert sorted(found_answers.values()) == sorted(answers.values([attempt.pk]))
    assert sorted(found_answers.values()) == [("le-1", 2), ("st-1", 4)]
    assert nothing.one() is None and nothing.values() == []
    if connection.vendor == "postgresql":
        assert len(queries) == 1 and queries[0]["sql"].count("SELECT t0.") == 3
    else:
        assert len(queries) == 3


def test_statements_together_keep_their_own_placeholders_and_literal_percent_signs():
    found = direct_many([("SELECT %s || '%%'", ["50"]), ("SELECT %s, %s", [1, "two"])])
    assert [[tuple(row) for row in rows] for rows in found] == [[("50%",)], [(1, "two")]]
    assert direct_many([("SELECT 1 WHERE 1 = 0", []), ("SELECT 2", [])]) == [[], [(2,)]]


def test_statements_together_write_every_value_as_it_is_however_many_and_however_long():
    # Past psycopg's own limits for keeping a statement's reading (50 values, 4,096 bytes),
    # with values whose writing into the text could go wrong.
    when = dt.datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=dt.UTC)
    awkward = [None, "it's", "50% off", "%s", "é ✓", 'a "b"; DROP', -7, 2.5, True, when]
    many = list(range(60))
    padding = "/*" + "x" * 4200 + "*/"
    found = direct_many(
        [
            ("SELECT " + ", ".join(["%s"] * len(awkward)), awkward),
            (f"SELECT {padding} " + " + ".join(["%s"] * len(many)), many),
            ("SELECT %s || '%%'", ["1"]),
        ]
    )
    alone = [direct("SELECT %s", [value])[0][0] for value in awkward]
    assert [tuple(row) for row in found[0]] == [tuple(alone)]
    assert found[1:] == [[(sum(many),)], [("1%",)]]
    # SQLite gives a boolean back as 1 and a datetime as text; PostgreSQL as they went.
    assert alone[:8] == awkward[:8]
    assert connection.vendor != "postgresql" or alone == awkward


def test_a_value_passed_more_than_once_is_written_in_each_of_its_places():
    when = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
    name = "it's"
    found = direct_many(
        [("SELECT %s, %s, %s", [when, name, None]), ("SELECT %s, %s, %s", [name, None, when])]
    )
    first, second = ([tuple(row) for row in rows] for rows in found)
    ((stored_when, stored_name, nothing),) = first
    assert second == [(stored_name, None, stored_when)] and nothing is None
    assert stored_name == name and stored_when == direct("SELECT %s", [when])[0][0]
    # Values equal to each other but written differently are each written as they are.
    alike = direct_many([("SELECT %s, %s", [True, 1]), ("SELECT %s", [True])])
    kinds = [type(value) for rows in alike for row in rows for value in row]
    assert connection.vendor != "postgresql" or kinds == [bool, int, bool]


@postgresql_only(NO_SERVER)
def test_statements_together_on_a_dropped_connection_run_again_on_a_new_one():
    ((pid,),) = direct("SELECT pg_backend_pid()", [])
    drop_from_server(pid)
    close_old_connections()
    (((new_pid,),), ((two,),)) = direct_many([("SELECT pg_backend_pid()", []), ("SELECT 2", [])])
    assert new_pid != pid and two == 2


@postgresql_only("on SQLite statements together run in turn, each its own transaction")
def test_on_postgresql_statements_together_are_one_transaction(attempt):
    sql = "UPDATE assessments_attempt SET locale = %s WHERE id = %s"
    with pytest.raises(ProgrammingError):
        direct_many([(sql, ["fr", attempt.pk]), ("SELECT * FROM no_such_table", [])])
    attempt.refresh_from_db()
    assert attempt.locale == "en"  # the first statement was undone with the second


@postgresql_only("psycopg's cursors, kept on PostgreSQL only")
def test_statements_share_their_connection_s_cursors_and_a_new_connection_gets_its_own():
    from django.db import connections

    from ctoready.lib import rows

    wrapper = connections["default"]  # (``connection`` is a proxy to it)
    assert direct("SELECT %s", [1]) == [(1,)]
    kept = rows._pg_cursors(wrapper)
    assert direct_many([("SELECT %s", [2]), ("SELECT %s", [3])]) == [[(2,)], [(3,)]]
    assert direct("SELECT %s", [4]) == [(4,)]
    assert rows._pg_cursors(wrapper) == kept  # the same two, reused
    wrapper.close()
    assert direct("SELECT %s", [5]) == [(5,)]  # a new connection, new cursors
    assert rows._pg_cursors(wrapper)[0] is not kept[0]


@postgresql_only("psycopg's result statuses, read on PostgreSQL only")
def test_rows_are_told_by_libpq_s_own_status_for_them():
    from psycopg.pq import ExecStatus

    from ctoready.lib import rows

    assert rows._TUPLES_OK == ExecStatus.TUPLES_OK
