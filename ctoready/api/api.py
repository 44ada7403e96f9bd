"""The JSON API, version 1: a thin layer over the services, with an OpenAPI document."""

from ninja import NinjaAPI
from ninja.operation import Operation

from ctoready.api import attempts, errors, instruments, operator, organisations, raters, shares
from ctoready.api.docs import LocalSwagger

DESCRIPTION = """\
The CTO Readiness Assessment over JSON. Start an attempt (no account needed) and keep
the bearer token it returns; read pages, save answers with sequence numbers (idempotent:
the higher number wins), finish, and fetch the report as JSON or PDF.

Errors are `{"error": {"code": "...", "message": "..."}}` with stable codes; see docs/api.md.
"""


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return str(operation.view_func.__name__)  # short, stable and unique in this API


api = Api(
    title="ctoready API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", instruments.router)
api.add_router("", attempts.router)
api.add_router("", shares.router)
api.add_router("", raters.router)
api.add_router("", operator.router)
api.add_router("", organisations.router)
