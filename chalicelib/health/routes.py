from __future__ import annotations

from typing import Literal

from chalice import Blueprint, Response

from chalicelib.api import endpoint
from chalicelib.config import get_settings
from chalicelib.health import service
from chalicelib.models import ApiModel

bp = Blueprint(__name__)


class Live(ApiModel):
    status: Literal["ok"] = "ok"
    version: str


class Component(ApiModel):
    ok: bool
    detail: str
    latency_ms: float


class Ready(ApiModel):
    status: Literal["ok", "degraded"]
    components: dict[str, Component]
    failed: list[str]


@endpoint(bp, "/api/v1/health/live", summary="The API process is up", tags=("health",), response=Live)
def live() -> Live:
    return Live(version=get_settings().version)


@endpoint(bp, "/api/v1/health/ready", summary="Every dependency is reachable (503 names what is not)",
          tags=("health",), response=Ready, errors_=(503,))
def ready() -> Response:
    results = service.readiness()
    failed = [name for name, status in results.items() if not status.ok]
    body = Ready(
        status="degraded" if failed else "ok",
        components={name: Component(**vars(status)) for name, status in results.items()},
        failed=failed,
    )
    return Response(body=body.model_dump(mode="json", by_alias=True), status_code=503 if failed else 200,
                    headers={"Content-Type": "application/json"})
