"""/api/v1/admin/imdb: the IMDb datasets import, admin only."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.imdb.models import ImdbStarted, ImdbStatus

bp = Blueprint(__name__)
TAGS = ("admin",)


@endpoint(bp, "/api/v1/admin/imdb", summary="IMDb import: recent runs, current progress, imported files",
          tags=TAGS, response=ImdbStatus, auth="admin")
def imdb_status(principal: Principal) -> ImdbStatus:
    from chalicelib.imdb import service  # lazy: the import pipeline costs ~150 ms, for two admin-only routes

    return ImdbStatus.model_validate(service.status())


@endpoint(bp, "/api/v1/admin/imdb/import", "POST", summary="Start an IMDb import now (runs in the background)",
          tags=TAGS, response=ImdbStarted, status=202, auth="admin", errors_=(409, 503))
def imdb_import(principal: Principal) -> ImdbStarted:
    from chalicelib.imdb import service  # lazy: the import pipeline costs ~150 ms, for two admin-only routes

    return ImdbStarted(run_id=service.start_in_background(principal.user_id))
