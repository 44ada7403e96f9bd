"""Health endpoints for the proxy and the service manager: cheap, no session, no cookies.

``/healthz``: the process answers (liveness). ``/readyz``: this app server can do its job:
the database answers, every migration this code knows is applied, the task queue is
readable. A 503 takes the server out of rotation until it is ready again.
"""

import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

_migrated = False  # once true for this code, it stays true: migrations only move forward


def _response(body: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _response({"status": "ok"})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations() -> str:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return f"{len(pending)} pending"
        _migrated = True
    return "ok"


def _tasks() -> dict[str, Any]:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return {"status": "ok", "backend": backend}
    from django.db.models import Count, Min
    from django_tasks_db.models import DBTaskResult

    # The partial index on ready tasks keeps this to the queue's own (small) size.
    queue = DBTaskResult.objects.ready().order_by()
    found = queue.aggregate(n=Count("id"), oldest=Min("enqueued_at"))
    oldest = found["oldest"]
    waiting = max(0.0, round(time.time() - oldest.timestamp(), 1)) if oldest else 0.0
    return {"status": "ok", "ready": found["n"], "oldest_ready_seconds": waiting}


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Any] = {}
    try:
        checks["database"] = _database()
        checks["migrations"] = _migrations()
        checks["tasks"] = _tasks()
    except DatabaseError as exc:
        checks.setdefault("database", "unreachable")
        checks["error"] = type(exc).__name__
    ready = checks.get("migrations") == "ok" and "tasks" in checks
    return _response({"status": "ok" if ready else "unavailable", **checks}, 200 if ready else 503)
