"""Reads on the request hot path without the ORM's query compiler.

Building and compiling a query costs the ORM 0.2–0.7 ms each time, ten to twenty times what
SQLite takes to answer it (an attempt by its public id with its instrument version joined:
705 µs through the ORM, 27 µs through the cursor). The few reads every page request makes
are written once per process here, from the models' own metadata, so a renamed column or
a new field can never fall out of step with the model. Rows become model instances through
``Model.from_db`` and every value goes through the same converters the ORM applies, so the
objects are exactly those a queryset would give.

Only what the hot path needs: one table or a chain of non-null foreign keys (inner joins),
deferred fields, and a ``WHERE`` written by the caller in plain SQL against the aliases
``t0`` (the model), ``t1``… (each related table, in the order given).

:func:`direct` runs these statements, and the autosave's two, on the database driver's own
connection, without Django's cursor wrappers.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, router
from django.db.models import ForeignKey, JSONField, Model

Converter = Callable[[Any, Any, Any], Any]
Field = Any  # a concrete model field (django-stubs' Field is generic in two types)


@dataclass(frozen=True)
class _Table:
    model: type[Model]
    alias: str
    fields: tuple[Field, ...]  # the concrete fields selected, in the model's order
    parent: int | None = None  # index of the table holding the foreign key
    link: ForeignKey[Any, Any] | None = None  # that foreign key


@dataclass(frozen=True)
class _Compiled:
    sql: str
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]  # (column, converters, col)


def _json_value(value: Any, expression: Any, connection: Any) -> Any:
    """A JSON column's text decoded as ``JSONField.from_db_value`` decodes a column read
    whole (text that is not JSON comes back as it is); a whole number, most answers, without
    the JSON decoder."""
    if value is None:
        return None
    if value.isascii() and value.isdigit() and (value[0] != "0" or value == "0"):
        return int(value)
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


class Select[M: Model]:
    """``SELECT`` of a model (and related models) by a fixed condition.

    ``Select(Attempt, where="t0.public_id = %s", related=("version",),
    defer=("version__content",)).one([public_id])`` gives what
    ``Attempt.objects.select_related("version").defer("version__content")
    .filter(public_id=public_id).first()`` would, with ``only`` naming the fields to read
    instead (``values`` gives tuples of them, as ``values_list``; instances need the
    primary key among them, as ``only`` does).
    """

    def __init__(
        self,
        model: type[M],
        *,
        where: str,
        related: Sequence[str] = (),
        defer: Sequence[str] = (),
        only: Sequence[str] = (),
        order_by: str = "",
    ) -> None:
        self.model, self.where, self.order_by = model, where, order_by
        self.tables = self._tables(model, related, set(defer), tuple(only))
        self._compiled: dict[str, _Compiled] = {}

    @staticmethod
    def _tables(
        model: type[Model], related: Sequence[str], defer: set[str], only: tuple[str, ...]
    ) -> tuple[_Table, ...]:
        def fields(of: type[Model], path: str) -> tuple[Field, ...]:
            chosen = [
                f
                for f in of._meta.concrete_fields
                if (f"{path}__{f.name}" if path else f.name) not in defer
            ]
            if only and not path:
                by_name = {f.name: f for f in chosen} | {f.attname: f for f in chosen}
                chosen = [by_name[name] for name in only]
            elif not any(f.primary_key for f in chosen):
                raise ValueError(f"{of.__name__}: the primary key cannot be deferred")
            return tuple(chosen)

        if only and related:
            raise ValueError("only= reads values of one table; it takes no related tables")
        tables = [_Table(model, "t0", fields(model, ""))]
        paths = {"": 0}
        for number, path in enumerate(related, start=1):
            parent_path, _, name = path.rpartition("__")
            parent = paths[parent_path]
            link = tables[parent].model._meta.get_field(name)
            if not isinstance(link, ForeignKey) or link.null:
                raise ValueError(f"{path}: only non-null foreign keys can be joined")
            target: type[Model] = link.related_model
            tables.append(_Table(target, f"t{number}", fields(target, path), parent, link))
            paths[path] = number
        return tuple(tables)

    def _compile(self, connection: Any) -> _Compiled:
        quote = connection.ops.quote_name
        columns: list[str] = []
        converters: list[tuple[int, tuple[Converter, ...], Any]] = []
        for table in self.tables:
            for field in table.fields:
                col = field.get_col(table.alias)
                found = connection.ops.get_db_converters(col)
                if isinstance(field, JSONField) and field.decoder is None:
                    found.append(_json_value)  # what its from_db_value does, sooner
                else:
                    found += col.get_db_converters(connection)
                if found:
                    converters.append((len(columns), tuple(found), col))
                columns.append(f"{table.alias}.{quote(field.column)}")
        sources = [f"{quote(self.model._meta.db_table)} t0"]
        for table in self.tables[1:]:
            parent = self.tables[table.parent]  # type: ignore[index]
            target = table.model._meta.pk.column
            sources.append(
                f"INNER JOIN {quote(table.model._meta.db_table)} {table.alias}"
                f" ON {table.alias}.{quote(target)} = {parent.alias}.{quote(table.link.column)}"  # type: ignore[union-attr]
            )
        # Names from the models' metadata, quoted; the condition is the caller's constant.
        sql = f"SELECT {', '.join(columns)} FROM {' '.join(sources)} WHERE {self.where}"  # noqa: S608
        if self.order_by:
            sql += f" ORDER BY {self.order_by}"
        return _Compiled(sql, tuple(converters))

    def compiled(self, connection: Any) -> _Compiled:
        found = self._compiled.get(connection.vendor)
        if found is None:
            found = self._compiled[connection.vendor] = self._compile(connection)
        return found

    def read(self, params: Sequence[Any]) -> Read:
        """This select with its parameters, for :func:`together`."""
        return self, params

    def values(self, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Every matching row as a tuple of the selected fields' values."""
        return together(self.read(params))[0].values()

    def all(self, params: Sequence[Any]) -> list[M]:
        """Every matching row as a model instance, related instances attached."""
        return together(self.read(params))[0].all()

    def one(self, params: Sequence[Any]) -> M | None:
        """The first matching row as a model instance (None if there is none)."""
        return together(self.read(params))[0].one()


type Read = tuple[Select[Any], Sequence[Any]]


@dataclass(frozen=True)
class Found[M: Model]:
    """The rows one select read, converted as the ORM converts them."""

    select: Select[M]
    using: str
    rows: list[list[Any]]

    def values(self) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.rows]

    def all(self) -> list[M]:
        main = self.select.tables[0]
        if main.model._meta.pk not in main.fields:
            raise ValueError(f"{main.model.__name__}: instances need the primary key read")
        return [self._instance(row) for row in self.rows]

    def one(self) -> M | None:
        found = self.all()
        return found[0] if found else None

    def _instance(self, row: list[Any]) -> M:
        objects: list[Model] = []
        start = 0
        for table in self.select.tables:
            end = start + len(table.fields)
            names = [f.attname for f in table.fields]
            obj = table.model.from_db(self.using, names, row[start:end])
            if table.link is not None and table.parent is not None:
                table.link.set_cached_value(objects[table.parent], obj)
            objects.append(obj)
            start = end
        return objects[0]  # type: ignore[return-value]


def together(*reads: Read) -> list[Found[Any]]:
    """What each of several selects reads, in the order given; on PostgreSQL in one round
    trip to the server (:func:`direct_many`), which costs the app's process about as much
    CPU as one statement alone. Selects routed to different databases are read apart."""
    using = router.db_for_read(reads[0][0].model)
    if any(router.db_for_read(select.model) != using for select, _ in reads[1:]):
        return [found for read in reads for found in together(read)]
    connection = connections[using]
    compiled = [select.compiled(connection) for select, _ in reads]
    raw = direct_many(
        [(c.sql, params) for c, (_, params) in zip(compiled, reads, strict=True)], using=using
    )
    found: list[Found[Any]] = []
    for (select, _), c, fetched in zip(reads, compiled, raw, strict=True):
        rows = [list(row) for row in fetched]
        for row in rows:
            for index, functions, col in c.converters:
                value = row[index]
                for function in functions:
                    value = function(value, col, connection)
                row[index] = value
        found.append(Found(select, using, rows))
    return found


def direct(sql: str, params: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
    """The rows of one constant statement (``%s`` placeholders), run on the driver's own
    connection (none for a statement that returns none).

    Through ``connection.cursor()`` a statement also passes a cursor wrapper and, on SQLite,
    a regular expression that rewrites its placeholders, and a request's first statement
    waits for a health check (on PostgreSQL a ``SELECT 1`` round trip): together most of an
    autosave's CPU in a busy server. Here the placeholders are rewritten once per
    statement and only Django's error wrapper stays, so a failure raises Django's
    exception as ever.

    The health check is done when it is needed: a statement that succeeds shows the
    connection sound; if one fails on a connection not yet checked in this request, the
    connection is checked, and one the database dropped (a restart, an idle timeout) is
    replaced and the statement runs again on the new one, so a user never sees the error.
    A statement that failed for another reason, or inside a transaction, raises. With
    execute wrappers installed the statement goes through the ordinary cursor. Statements
    are recorded where Django records queries (tests, ``DEBUG``).
    """
    return direct_many([(sql, params)], using=using)[0]


def direct_many(
    statements: Sequence[tuple[str, Sequence[Any]]], *, using: str = DEFAULT_DB_ALIAS
) -> list[list[Any]]:
    """The rows of each of several constant statements, run as :func:`direct` runs one.

    On PostgreSQL more than one go to the server in one query, with their parameters
    written into its text as psycopg's client-side binding writes them (as Django's own
    cursor binds): one round trip, where each statement alone is one. A round trip costs
    the app's process 45–110 µs of CPU whatever the statement, on the machine of
    ``docs/performance.md``, and the server's about as much again. The server runs them in
    order in one transaction, so reads see one moment and writes are all or nothing; they
    are recorded as one query, as they were sent. Elsewhere they run in turn, each recorded
    (SQLite answers in the app's own process).
    """
    connection: Any = connections[using]  # health_check_done is not in django-stubs
    if connection.execute_wrappers:
        found = []
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                found.append(_fetched(cursor))
        return found
    if connection.in_atomic_block:
        connection.validate_no_broken_transaction()
    native = [(_native_sql(connection, sql), params) for sql, params in statements]
    started = time.monotonic()
    try:
        rows = _run(connection, native)
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block or connection.health_check_done:
            raise
        connection.close_if_health_check_failed()
        if connection.connection is not None:
            raise  # the connection is sound: the statement itself failed
        rows = _run(connection, native)
    connection.health_check_done = True
    if connection.queries_logged:
        took = f"{time.monotonic() - started:.3f}"
        sent = [statements] if connection.vendor == "postgresql" else [[s] for s in statements]
        for group in sent:
            text = "; ".join(f"{sql} {tuple(params)!r}" for sql, params in group)
            connection.queries_log.append({"sql": text, "time": took})
    return rows


def _run(connection: Any, statements: list[tuple[str, Sequence[Any]]]) -> list[list[Any]]:
    if connection.connection is None:
        connection.ensure_connection()
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            bound, client, literal = _pg_cursors(connection)
            if len(statements) > 1:
                return _run_joined(client, literal, statements)
            ((sql, params),) = statements
            return [_run_bound(bound, sql, params)]
        found = []
        cursor = connection.connection.cursor()
        try:
            for sql, params in statements:
                cursor.execute(sql, params)
                found.append(_fetched(cursor))
        finally:
            cursor.close()
        return found


def _pg_cursors(connection: Any) -> tuple[Any, Any, Any]:
    """psycopg cursors of the connection's driver connection, kept for its statements
    (with server-side and with client-side binding), and a transformer that writes values
    as the client-side cursor writes them: making a cursor costs about 25 µs of a 70–90 µs
    round trip. Django's connection is its thread's, and so are they; a new driver
    connection (after a drop, or an age limit) gets new ones."""
    import psycopg  # only where PostgreSQL is used: a SQLite site never loads it
    from psycopg.adapt import Transformer

    native = connection.connection
    kept = connection.__dict__.get("_rows_cursors")
    if kept is None or kept[0] is not native or kept[1].closed or kept[2].closed:
        cursors = (psycopg.Cursor(native), psycopg.ClientCursor(native))
        kept = (native, *cursors, Transformer.from_context(native))
        connection._rows_cursors = kept
    return kept[1], kept[2], kept[3]


def _run_bound(cursor: Any, sql: str, params: Sequence[Any]) -> list[Any]:
    """On PostgreSQL, a statement with its parameters sent apart from it (server-side
    binding), not written into its text: psycopg then reads the statement's placeholders
    once per process and sends each value as it is, where the client-side cursor Django
    uses quotes every value into the text each time, about 20 µs of an autosave. The
    statement is not prepared, so connection poolers in transaction mode serve it too."""
    cursor.execute(sql, params, prepare=False)
    return _fetched_pg(cursor)


def _run_joined(
    cursor: Any, literal: Any, statements: list[tuple[str, Sequence[Any]]]
) -> list[list[Any]]:
    """On PostgreSQL, several statements in one query: the server's protocol takes more
    than one statement in a query only with the values written into its text.

    The values are written in here, each as psycopg's client-side cursor writes it
    (``Transformer.as_literal``), into the statements' text taken as a template: their
    placeholders are all ``%s``, and ``%%`` a literal ``%`` (as Django's are). psycopg
    would read the text for its placeholders on every call once it is longer than 4,096
    bytes or has more than 50 values (a page's answers written with its moves): about a
    third of a page post's CPU."""
    template = _joined_template(tuple(sql for sql, _ in statements))
    cursor.execute(template % _literals(literal, statements))
    found = [_fetched_pg(cursor)]
    while cursor.nextset():
        found.append(_fetched_pg(cursor))
    if len(found) != len(statements):
        raise AssertionError(f"{len(statements)} statements gave {len(found)} results")
    return found


def _literals(literal: Any, statements: list[tuple[str, Sequence[Any]]]) -> tuple[bytes, ...]:
    """Each value of the statements as SQL text; a value passed more than once (the same
    object: a page post's time and attempt go with each of its answers and moves) is
    written once. A time costs about 3 µs to write, a number or a text about 0.6 µs."""
    written: dict[int, bytes] = {}
    texts = []
    for _, params in statements:
        for value in params:
            text = written.get(id(value))
            if text is None:
                text = written[id(value)] = b"NULL" if value is None else literal.as_literal(value)
            texts.append(text)
    return tuple(texts)


@functools.lru_cache(maxsize=512)
def _joined_template(statements: tuple[str, ...]) -> bytes:
    """Statements as one query's text, a template for ``bytes % values``: Django's
    connection to PostgreSQL speaks UTF-8."""
    return "; ".join(statements).encode()


def _fetched(cursor: Any) -> list[Any]:
    """The rows of the statement ``cursor`` ran: none for one that returns none."""
    rows: list[Any] = cursor.fetchall() if cursor.description is not None else []
    return rows


def _fetched_pg(cursor: Any) -> list[Any]:
    """:func:`_fetched` on psycopg's cursor, told by the result's status: its
    ``description`` describes every column, type names included, each time it is read
    (about 30 µs for an attempt's row)."""
    result = cursor.pgresult
    if result is None or result.status != _TUPLES_OK:
        return []
    rows: list[Any] = cursor.fetchall()
    return rows


# libpq's PGRES_TUPLES_OK (psycopg.pq.ExecStatus.TUPLES_OK), a fixed number of its interface:
# importing psycopg's enum in every read cost more than the comparison.
_TUPLES_OK = 2
_NATIVE: dict[tuple[str, str], str] = {}


def _native_sql(connection: Any, sql: str) -> str:
    """``sql`` with the driver's placeholders, rewritten once: on SQLite by the rewrite
    Django's SQLite cursor applies to every statement (``?`` marks, ``%%`` a literal
    ``%``); psycopg takes ``%s`` as it is."""
    native = _NATIVE.get((connection.vendor, sql))
    if native is None:
        native = sql
        if connection.vendor == "sqlite":
            if connection.connection is None:
                connection.ensure_connection()
            cursor = connection.create_cursor()
            try:
                native = cursor.convert_query(sql)
            finally:
                cursor.close()
        _NATIVE[(connection.vendor, sql)] = native
    return native
