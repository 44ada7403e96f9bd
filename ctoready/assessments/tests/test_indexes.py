"""Answers and page visits are found by attempt through one index each: the unique
constraint's, which the attempt leads (migration 0006 dropped a second one)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

TABLES = ["assessments_answer", "assessments_pagevisit"]


@pytest.mark.parametrize("table", TABLES)
def test_one_index_leads_with_the_attempt_and_it_is_the_unique_one(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    led_by_attempt = [
        (name, c)
        for name, c in constraints.items()
        if c["index"] or c["unique"]
        if c["columns"] and c["columns"][0] == "attempt_id"
    ]
    assert len(led_by_attempt) == 1, led_by_attempt
    ((_, constraint),) = led_by_attempt
    assert constraint["unique"] and len(constraint["columns"]) == 2


@pytest.mark.parametrize("table", TABLES)
def test_a_lookup_by_attempt_uses_that_index(table):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's planner scans a near-empty table whatever its indexes")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE attempt_id = 1")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX" in plan, plan
