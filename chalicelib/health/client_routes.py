"""The web app's reports of its own failures (a part of the screen that could not render), apart from the
health probes so that a probe's cold start does not import authentication."""

from __future__ import annotations

from chalice import Blueprint
from pydantic import Field

from chalicelib import ratelimit
from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.config import RateLimit
from chalicelib.logs import get_logger
from chalicelib.models import ApiModel

bp = Blueprint(__name__)


class ClientError(ApiModel):
    """A part of the web app that failed to render (its error boundary caught it)."""

    where: str = Field(min_length=1, max_length=120, description="The part: a page path or a widget name")
    message: str = Field(max_length=2000)
    stack: str | None = Field(default=None, max_length=8000)
    path: str | None = Field(default=None, max_length=500, description="The page the user was on")


CLIENT_ERRORS = RateLimit(30, 60)  # per user: a render loop must not flood the log


@endpoint(bp, "/api/v1/client-errors", "POST", summary=(
    "Report a render error of the web app to the server log (a part of the screen said it couldn't load)"),
    tags=("health",), body=ClientError, status=204, auth="user", errors_=(401, 413, 422, 429))
def client_error(body: ClientError, principal: Principal) -> None:
    ratelimit.per_user("client_errors", principal.user_id, CLIENT_ERRORS)
    get_logger().warning("web app part failed to render", extra={
        "action": "client_render_error", "user_id": str(principal.user_id), "where": body.where,
        "error": body.message, "path": body.path, "stack": (body.stack or "")[:4000]})
