"""The OpenAPI 3.1 document, built from the registered endpoints' pydantic models.

The models that validate requests are the ones documented, so the document
cannot drift from the code (the frontend's typed client is generated from it).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaMode

from chalicelib import routetable
from chalicelib.api import ENDPOINTS, Endpoint
from chalicelib.models import ErrorEnvelope

REF = "#/components/schemas/{model}"
# chalicelib.inputpolicy, on every route: control characters in the path, query or body
# and JSON nested too deep are 400; a body over the size limit is 413.
# Before any view: a malformed request (400), a body over the route's limit (413), and a Content-Type the route
# does not take (415: Chalice checks it on every method, a GET included).
EDGE_STATUSES = frozenset({400, 413, 415})

_STATUS_TEXT = {
    400: "Malformed request", 401: "Not authenticated", 403: "Not allowed", 404: "Not found",
    405: "A fixed path this one's parameter spelled, without this method", 409: "Conflict",
    413: "Request body too large", 415: "Unsupported Content-Type", 422: "Validation failed",
    429: "Too many requests",
    503: "A dependency is unavailable",
}


def _component_name(name: str) -> str:
    """``CursorPage[DownloadEvent]`` -> ``CursorPage_DownloadEvent``: names OpenAPI accepts."""
    return re.sub(r"[^a-zA-Z0-9._-]+", "_", name).strip("_")


def _operation_id(spec: Endpoint) -> str:
    slug = re.sub(r"[^a-zA-Z0-9]+", "_", spec.path.removeprefix("/api/v1/")).strip("_")
    return f"{spec.method.lower()}_{slug}"


class _Builder:
    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def schema_for(self, annotation: Any, mode: JsonSchemaMode) -> dict[str, Any]:
        schema = TypeAdapter(annotation).json_schema(mode=mode, by_alias=True, ref_template=REF)
        self.schemas.update(schema.pop("$defs", {}))
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            name = _component_name(annotation.__name__)
            name = name if mode == "serialization" else f"{name}Input"
            self.schemas[name] = schema
            return {"$ref": REF.format(model=name)}
        return schema

    def parameters(self, spec: Endpoint) -> list[dict[str, Any]]:
        params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in spec.path_params]
        if spec.query is not None:
            schema = spec.query.model_json_schema(mode="validation", by_alias=True, ref_template=REF)
            self.schemas.update(schema.pop("$defs", {}))
            required = set(schema.get("required", []))
            for name, prop in schema.get("properties", {}).items():
                params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
        return params

    def operation(self, spec: Endpoint) -> dict[str, Any]:
        op: dict[str, Any] = {
            "operationId": _operation_id(spec),
            "summary": spec.summary,
            "tags": list(spec.tags),
            "parameters": self.parameters(spec),
            "responses": self.responses(spec),
        }
        if spec.body is not None:
            op["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": self.schema_for(spec.body, "validation")}}}
        if spec.auth is not None:
            op["security"] = [{"bearerAuth": []}]
        return op

    def responses(self, spec: Endpoint) -> dict[str, Any]:
        ok: dict[str, Any] = {"description": "Success"}
        if spec.response is not None:
            ok["content"] = {"application/json": {"schema": self.schema_for(spec.response, "serialization")}}
        responses: dict[str, Any] = {str(status): ok for status in (spec.status, *spec.also_ok)}
        statuses = set(spec.error_statuses)
        if spec.method != "OPTIONS":  # the edge input policy runs before every view (not the CORS preflights)
            statuses |= EDGE_STATUSES
        if spec.body is not None:
            statuses.add(422)
        if spec.query is not None:
            statuses.add(422)
        if spec.auth is not None:
            statuses |= {401, 403} if spec.auth in ("admin", "adult") else {401}
        if spec.path_params:
            statuses.add(404)
        error_ref = self.schema_for(ErrorEnvelope, "serialization")
        for status in sorted(statuses):
            responses[str(status)] = {"description": _STATUS_TEXT.get(status, "Error"),
                                      "content": {"application/json": {"schema": error_ref}}}
        return responses


def build(version: str = "0.1.0") -> dict[str, Any]:
    routetable.load_all()  # the app registers routes without importing their modules; the document needs all
    builder = _Builder()
    paths: dict[str, dict[str, Any]] = {}
    for spec in sorted(ENDPOINTS, key=lambda e: (e.path, e.method)):
        paths.setdefault(spec.path, {})[spec.method.lower()] = builder.operation(spec)
    _shadowed_methods(paths, builder.schema_for(ErrorEnvelope, "serialization"))
    return {
        "openapi": "3.1.0",
        "info": {"title": "/seen/ API", "version": version,
                 "description": "Self-hosted personal streaming control center."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(builder.schemas.items())),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def _shadowed_methods(paths: dict[str, dict[str, Any]], error_ref: dict[str, Any]) -> None:
    """A parameter may spell a fixed sibling path: ``DELETE /downloads/{job_id}`` with ``job_id=uploads`` is
    ``/downloads/uploads``, which has no DELETE, and the router answers 405. Such operations document it."""
    for template, operations in paths.items():
        if "{" not in template:
            continue
        pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/{}]+", re.escape(template)) + "$")
        for method, operation in operations.items():
            if any(pattern.match(other) and method not in paths[other] for other in paths if other != template):
                operation["responses"].setdefault("405", {
                    "description": _STATUS_TEXT[405], "content": {"application/json": {"schema": error_ref}}})

