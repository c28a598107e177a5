"""/api/v1/admin/enrichment: each source's coverage, pause/resume, retry, and the unmatched items (admins)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.enrichment import service
from chalicelib.enrichment.models import (
    EnrichmentOverview,
    ManualMatch,
    MatchedItem,
    RetryQueued,
    SourceCoverage,
    UnmatchedPage,
    UnmatchedQuery,
)

bp = Blueprint(__name__)
BASE = "/api/v1/admin/enrichment"
SOURCE = f"{BASE}/{{source}}"
TAGS = ("admin",)


@endpoint(bp, BASE, summary="Per source (TMDB, TVDB, OMDb, media servers, channels): matched, not found, "
          "pending and failed items, pause state, last run", tags=TAGS, response=EnrichmentOverview, auth="admin",
          errors_=(401, 403))
def get_enrichment(principal: Principal) -> EnrichmentOverview:
    return service.overview()


@endpoint(bp, f"{SOURCE}/pause", "POST", summary="Pause the source's scheduled work (until resumed)", tags=TAGS,
          response=SourceCoverage, auth="admin", errors_=(401, 403, 404, 409))
def pause_source(source: str, principal: Principal) -> SourceCoverage:
    return service.set_paused(source, True, principal.user_id)


@endpoint(bp, f"{SOURCE}/resume", "POST", summary="Resume the source's scheduled work", tags=TAGS,
          response=SourceCoverage, auth="admin", errors_=(401, 403, 404, 409))
def resume_source(source: str, principal: Principal) -> SourceCoverage:
    return service.set_paused(source, False, principal.user_id)


@endpoint(bp, f"{SOURCE}/retry", "POST", summary=(
          "Make the source's failed and not-found items pending again (media servers: a sync is queued)"),
          tags=TAGS, response=RetryQueued, status=202, auth="admin", errors_=(401, 403, 404, 409, 503))
def retry_source(source: str, principal: Principal) -> RetryQueued:
    return service.retry(source, principal.user_id)


@endpoint(bp, f"{BASE}/unmatched", summary="Items no source could link, by title (keyset paged, searchable)",
          tags=TAGS, query=UnmatchedQuery, response=UnmatchedPage, auth="admin", errors_=(400, 401, 403))
def list_unmatched(principal: Principal, query: UnmatchedQuery) -> UnmatchedPage:
    return service.unmatched(query)


@endpoint(bp, f"{BASE}/unmatched/{{source}}/{{item_id}}/match", "POST", summary=(
          "Link a media server item to a catalog title by hand (a show's episodes follow); later syncs keep it"),
          tags=TAGS, body=ManualMatch, response=MatchedItem, auth="admin", errors_=(401, 403, 404, 422))
def match_unmatched(source: str, item_id: str, principal: Principal, body: ManualMatch) -> MatchedItem:
    return service.match(source, item_id, body.media_id)
