"""/api/v1/dashboard."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.dashboard import service
from chalicelib.dashboard.models import Dashboard

bp = Blueprint(__name__)


@endpoint(bp, "/api/v1/dashboard", summary="Every dashboard widget in one response (cached 2 min per user)",
          tags=("dashboard",), response=Dashboard, auth="user")
def dashboard(principal: Principal) -> dict:
    return service.dashboard(principal.user_id)
