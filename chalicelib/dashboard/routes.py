"""/api/v1/dashboard."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.contentrating import limit_of
from chalicelib.dashboard import service
from chalicelib.dashboard.models import Dashboard

bp = Blueprint(__name__)


@endpoint(bp, "/api/v1/dashboard", summary="Every dashboard widget in one response (cached 2 min per user)",
          tags=("dashboard",), response=Dashboard, auth="user")
def dashboard(principal: Principal) -> Response:
    # The cached JSON text goes out as is: no parse, no validation, no re-encode on a warm read.
    return Response(body=service.dashboard(principal.user_id, limit_of(principal)), status_code=200,
                    headers={"Content-Type": "application/json"})
