"""/api/v1/admin/indexers (admin: Torznab indexers) and /api/v1/sources (ranked candidates for a title)."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.sources.models import IndexerCreate, IndexerList, IndexerOut, IndexerPatch, SourcesOut, SourcesQuery

bp = Blueprint(__name__)
INDEXERS = "/api/v1/admin/indexers"
ADMIN = ("admin",)


@endpoint(bp, INDEXERS, summary="Torznab indexers (API keys only as set / not set)", tags=ADMIN,
          response=IndexerList, auth="admin")
def list_indexers(principal: Principal) -> IndexerList:
    from chalicelib.sources import indexers  # lazy: ~100 ms of import (Torznab client), admin-only

    return IndexerList(items=indexers.list_indexers())


@endpoint(bp, INDEXERS, "POST", summary="Add a Torznab indexer (Prowlarr, Jackett...; private addresses allowed)",
          tags=ADMIN, body=IndexerCreate, response=IndexerOut, status=201, auth="admin", errors_=(409, 503))
def create_indexer(principal: Principal, body: IndexerCreate) -> IndexerOut:
    from chalicelib.sources import indexers  # lazy: ~100 ms of import (Torznab client), admin-only

    return indexers.create(body)


@endpoint(bp, f"{INDEXERS}/{{indexer_id}}", "PATCH", summary="Change an indexer (the API key is write-only)",
          tags=ADMIN, body=IndexerPatch, response=IndexerOut, auth="admin", errors_=(409, 503))
def patch_indexer(indexer_id: str, principal: Principal, body: IndexerPatch) -> IndexerOut:
    from chalicelib.sources import indexers  # lazy: ~100 ms of import (Torznab client), admin-only

    return indexers.update(indexer_id, body)


@endpoint(bp, f"{INDEXERS}/{{indexer_id}}", "DELETE", summary="Remove an indexer", tags=ADMIN, status=204,
          auth="admin")
def delete_indexer(indexer_id: str, principal: Principal) -> None:
    from chalicelib.sources import indexers  # lazy: ~100 ms of import (Torznab client), admin-only

    indexers.delete(indexer_id)


@endpoint(bp, f"{INDEXERS}/{{indexer_id}}/test", "POST",
          summary="Read the indexer's caps now and store what it supports (502 when it does not answer usefully)",
          tags=ADMIN, response=IndexerOut, auth="admin", errors_=(502,))
def test_indexer(indexer_id: str, principal: Principal) -> IndexerOut:
    from chalicelib.sources import indexers  # lazy: ~100 ms of import (Torznab client), admin-only

    return indexers.test(indexer_id)


@endpoint(bp, "/api/v1/sources", summary=(
    "Ranked download candidates for a movie, a season or an episode, from every enabled indexer "
    "(best first, rejected last; failed indexers in errors), for the release group of your previous episode "
    "and, with video/audio/hdr/maxHeight, for the playing device"), tags=("sources",), query=SourcesQuery,
    response=SourcesOut, auth="adult", errors_=(404, 429))
def list_sources(principal: Principal, query: SourcesQuery) -> dict[str, object]:
    from chalicelib.sources import service  # lazy: ~250 ms of import (the search), not on a cold start

    return service.search(principal.user_id, query.media_id, query.season, query.episode,
                          fresh=query.fresh, device=query.device()).as_json()
