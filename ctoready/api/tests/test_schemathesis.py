"""Property-based tests of every operation from the OpenAPI document (schemathesis).

Valid and invalid inputs alike: no response is a server error, and every response has a
documented status code, content type and body shape. Alice's token and attempt stand in
for the generated ones, so the requests reach the handlers instead of stopping at 401.
"""

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ctoready.api.api import api
from ctoready.api.tests.conftest import MINI_ANSWERS

EXAMPLES = 6
SLOW_EXAMPLES = 4  # PDF rendering takes a second each
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema():  # type: ignore[no-untyped-def]
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = WSGIHandler()
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_test_connection(db):  # type: ignore[no-untyped-def]
    """Requests through the WSGI handler would close the test's database connection at
    their end; Django's own test client prevents that the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def slow_calls() -> Counter[str]:
    return Counter()


ITEMS = ["bg-years", "st-1", "re-1", "sjt-costs", "pref-role", "check-revenue"]


def _steer(case) -> None:  # type: ignore[no-untyped-def]
    """Point half the generated requests at things that exist, so they reach deeper."""
    path, body = case.operation.path, case.body
    if path == "/api/v1/attempts" and isinstance(body, dict) and len(str(body)) % 2 == 0:
        body.update({"instrument": "mini", "version": None, "context": "seed", "email": ""})
    if "item_id" in (case.path_parameters or {}) and len(str(body)) % 2 == 0:
        item = ITEMS[len(str(body)) % len(ITEMS)]
        case.path_parameters["item_id"] = item
        if isinstance(body, dict) and "value" in body:
            body["value"] = MINI_ANSWERS[item]


@pytest.fixture
def carols_cohort(carol, finished_bob):  # type: ignore[no-untyped-def]
    """Carol owns an organisation with a cohort, and shares her own report with it."""
    from ctoready.lib.testing import finished_attempt
    from ctoready.orgs import services as orgs

    user = carol[0]
    organisation = orgs.create_organisation(
        owner=user, name="Carol's", accepted_development_only=True
    )
    cohort = orgs.create_cohort(
        organisation=organisation,
        name="Cohort",
        version=finished_bob.attempt.version,
        context="growth",
    )
    invitation = orgs.resolve_invitation(token=orgs.create_join_link(cohort=cohort))
    consent = orgs.accept_invitation(invitation=invitation, user=user)
    attempt = finished_attempt(cohort.version, MINI_ANSWERS, context="growth", owner=user)
    orgs.set_consent(consent=consent, scope="full", attempt=attempt)
    return organisation.public_id, cohort.public_id


def _steer_organisation(case, ids) -> None:  # type: ignore[no-untyped-def]
    params = case.path_parameters or {}
    if "org_id" in params and len(str(case.body)) % 3 != 0:
        params["org_id"], params["cohort_id"] = ids


def _needs_finished(path: str) -> bool:
    return "report" in path or "shares" in path or path.startswith("/api/v1/operator")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(
    case, alice, finished_bob, bobs_rater, carol, olivia, carols_cohort, slow_calls
):  # type: ignore[no-untyped-def]
    path = case.operation.path
    if slow_calls[path] >= SLOW_EXAMPLES:
        return
    candidate = finished_bob if _needs_finished(path) else alice
    if "attempt_id" in (case.path_parameters or {}):
        case.path_parameters["attempt_id"] = candidate.id
    headers = {"Authorization": f"Bearer {candidate.token}"}
    if path.startswith("/api/v1/operator"):
        headers = {"Authorization": f"Bearer {olivia[1]}"}
    elif path.startswith(("/api/v1/me", "/api/v1/organisations")):
        headers = {"Authorization": f"Bearer {carol[1]}"}
        _steer_organisation(case, carols_cohort)
    elif path.startswith("/api/v1/rater"):
        headers = {"Authorization": f"Bearer {bobs_rater[1]}"}
    elif path == "/api/v1/attempts":
        headers = {}
    _steer(case)
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    if path.endswith(".pdf") and response.status_code == 200:
        slow_calls[path] += 1
