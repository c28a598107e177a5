"""/api/v1/admin/ratings: how much of the catalog has ratings from elsewhere (OMDb)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.ratings import service
from chalicelib.ratings.models import RatingsCoverage

bp = Blueprint(__name__)


@endpoint(bp, "/api/v1/admin/ratings", summary=(
    "Coverage of IMDb / Rotten Tomatoes / Metacritic ratings (OMDb pass): library and watch lists, all titles"),
    tags=("admin",), response=RatingsCoverage, auth="admin", errors_=(401, 403))
def get_ratings_coverage(principal: Principal) -> RatingsCoverage:
    return service.coverage()
