"""/api/v1/engagement: collection clicks from the SPA (title views are logged by the detail pages)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.engagement import service
from chalicelib.engagement.models import CollectionClick

bp = Blueprint(__name__)


@endpoint(bp, "/api/v1/engagement/clicks", "POST", summary=(
    "Count a click on a discover row (a curated collection) and the title opened from it; "
    "collections are ordered by pinned, then such clicks and views over 7 days"),
    tags=("discover",), body=CollectionClick, status=204, auth="user", errors_=(400, 401, 404, 413, 422))
def post_click(body: CollectionClick, principal: Principal) -> None:
    service.log_click(principal.user_id, body.section_key, body.media_id, principal)
