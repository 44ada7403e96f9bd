"""The API reference at /api/v1/docs, rendered on the server from the OpenAPI document.

A page like every other one: the site's layout and stylesheet, no script, so it works
under the strict CSP and passes the same accessibility checks. The OpenAPI document
itself, for tools, is at /api/v1/openapi.json.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    name: str
    where: str  # path, query, body
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    auth: bool
    fields: tuple[Field, ...]
    responses: tuple[tuple[str, str], ...]


class Reference:
    """Reads an OpenAPI document into what the page shows."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            schema = self.document["components"]["schemas"][name]
        return schema

    def type_of(self, schema: dict[str, Any]) -> str:
        if "$ref" in schema:
            return str(schema["$ref"].rsplit("/", 1)[1])
        if "enum" in schema:
            return "one of " + ", ".join(repr(v) for v in schema["enum"])
        if "anyOf" in schema:
            return " or ".join(self.type_of(branch) for branch in schema["anyOf"])
        kind = schema.get("type", "any")
        if kind == "array":
            return f"list of {self.type_of(schema.get('items', {}))}"
        if kind == "object" and "additionalProperties" in schema:
            return f"object of {self.type_of(schema['additionalProperties'] or {})}"
        return str(kind)

    def body_fields(self, operation: dict[str, Any]) -> list[Field]:
        content = operation.get("requestBody", {}).get("content", {})
        schema = self.schema(content.get("application/json", {}).get("schema", {}))
        required = set(schema.get("required", []))
        return [
            Field(
                name,
                "body",
                self.type_of(sub),
                name in required,
                self.schema(sub).get("description", ""),
            )
            for name, sub in schema.get("properties", {}).items()
        ]

    def operation(self, method: str, path: str, op: dict[str, Any]) -> Operation:
        fields = [
            Field(
                p["name"],
                p["in"],
                self.type_of(p.get("schema", {})),
                bool(p.get("required")),
                p.get("description", ""),
            )
            for p in op.get("parameters", [])
        ]
        responses = tuple(
            (code, str(answer.get("description", "")))
            for code, answer in op.get("responses", {}).items()
        )
        return Operation(
            anchor=op.get("operationId", f"{method}-{path}"),
            method=method.upper(),
            path=path,
            summary=op.get("summary", ""),
            description=op.get("description", ""),
            auth=bool(op.get("security")),
            fields=(*fields, *self.body_fields(op)),
            responses=responses,
        )

    def groups(self) -> list[tuple[str, list[Operation]]]:
        grouped: dict[str, list[Operation]] = {}
        for path, item in self.document["paths"].items():
            for method in METHODS:
                if method in item:
                    tag = (item[method].get("tags") or ["other"])[0]
                    grouped.setdefault(tag, []).append(self.operation(method, path, item[method]))
        return list(grouped.items())


class ServerRenderedDocs(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        context = {
            "api": api,
            "groups": Reference(document).groups(),
            "openapi_url": self.get_openapi_url(api, kwargs),
        }
        return render(request, "api/docs.html", context)
