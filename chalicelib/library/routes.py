"""/api/v1/library: browse the media library, review matches, rescan, stream.

Every route needs a signed-in user; the library is shared by the instance.
Changing it for everyone (match, ignore, reset, rescan) and running the
parser are admin-only; the review queue of unmatched files and a scan's
progress are the grown-ups' (a kid profile gets 403 ``not_for_kids``: an
unmatched file's name is no title the content guard could judge).
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import ratelimit
from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.contentrating import limit_of
from chalicelib.library import service, streaming, trickplay
from chalicelib.library.models import (
    LibraryItemDetail,
    LibraryPage,
    LibraryTitlePage,
    ListQuery,
    MatchRequest,
    MatchResult,
    ParseRequest,
    ParseResult,
    PlaylistQuery,
    RescanRequest,
    Scan,
    StreamQuery,
    StreamResponse,
    TitleVersions,
    TitleVersionsQuery,
    TrickplayQuery,
    UnmatchedPage,
    UnmatchedQuery,
)
from chalicelib.subtitles import sync as subtitle_sync
from chalicelib.subtitles.models import OffsetRequest, SubtitleOffset, SyncQueued

bp = Blueprint(__name__)
TAGS = ("library",)


@endpoint(bp, "/api/v1/library", summary="Library items (filters: matchState, mediaType, query)", tags=TAGS,
          query=ListQuery, response=LibraryPage, auth="user", errors_=(401, 422))
def list_library(query: ListQuery, principal: Principal) -> LibraryPage:
    return service.list_items(query, limit_of(principal))


@endpoint(bp, "/api/v1/library/titles", summary="Library titles: a title's files (versions) as one card, best "
          "version first, with how each plays or why not (filters as /library)", tags=TAGS, query=ListQuery,
          response=LibraryTitlePage, auth="user", errors_=(401, 422))
def list_titles(query: ListQuery, principal: Principal) -> LibraryTitlePage:
    return service.list_titles(query, limit_of(principal))


@endpoint(bp, "/api/v1/library/versions", summary="What a movie, show or episode page can play: the library's "
          "versions (best first) and your resume point; a show without episodeId: its next episode to watch",
          tags=TAGS, query=TitleVersionsQuery, response=TitleVersions, auth="user", errors_=(401, 404, 422))
def title_versions(query: TitleVersionsQuery, principal: Principal) -> TitleVersions:
    return service.title_versions(principal.user_id, query, limit_of(principal))


@endpoint(bp, "/api/v1/library/unmatched", summary="The review queue: unmatched items with their best candidates",
          tags=TAGS, query=UnmatchedQuery, response=UnmatchedPage, auth="adult", errors_=(401, 403, 422))
def list_unmatched(query: UnmatchedQuery, principal: Principal) -> UnmatchedPage:
    return service.list_unmatched(query)


@endpoint(bp, "/api/v1/library/rescan", "POST", summary="Ask the worker to scan the library roots (or some paths)",
          tags=TAGS, body=RescanRequest, response=Scan, status=202, auth="admin", errors_=(401, 403, 422, 503))
def rescan(body: RescanRequest, principal: Principal) -> Scan:
    return service.request_rescan(body, principal.user_id)


@endpoint(bp, "/api/v1/library/scans/{scan_id}", summary="One scan and how far the worker got", tags=TAGS,
          response=Scan, auth="adult", errors_=(401, 403, 404))
def get_scan(scan_id: str, principal: Principal) -> Scan:
    return service.get_scan(scan_id)


@endpoint(bp, "/api/v1/library/parse", "POST", summary="The scanner's parse of a path, without indexing it",
          tags=TAGS, body=ParseRequest, response=ParseResult, auth="admin", errors_=(401, 403, 422))
def parse_path(body: ParseRequest, principal: Principal) -> ParseResult:
    return service.parse_path(body.path)


@endpoint(bp, "/api/v1/library/{item_id}", summary="One library item: parse, probe, candidates, streams, subtitles",
          tags=TAGS, response=LibraryItemDetail, auth="user", errors_=(401, 404))
def get_item(item_id: str, principal: Principal) -> LibraryItemDetail:
    return service.get_item(item_id, principal)


@endpoint(bp, "/api/v1/library/{item_id}/match", "POST",
          summary="Match an item by hand (kept across rescans); a show's files in the same folder follow",
          tags=TAGS, body=MatchRequest, response=MatchResult, auth="admin", errors_=(401, 403, 404, 409, 422))
def match_item(item_id: str, body: MatchRequest, principal: Principal) -> MatchResult:
    return service.match_manually(item_id, body, principal.user_id)


@endpoint(bp, "/api/v1/library/{item_id}/match", "DELETE", summary="Forget a manual decision and match again",
          tags=TAGS, response=LibraryItemDetail, auth="admin", errors_=(401, 403, 404))
def reset_match(item_id: str, principal: Principal) -> LibraryItemDetail:
    return service.reset_match(item_id, principal.user_id)


@endpoint(bp, "/api/v1/library/{item_id}/ignore", "POST", summary="Ignore an item (kept across rescans)",
          tags=TAGS, response=LibraryItemDetail, auth="admin", errors_=(401, 403, 404))
def ignore_item(item_id: str, principal: Principal) -> LibraryItemDetail:
    return service.ignore(item_id, principal.user_id)


@endpoint(bp, "/api/v1/library/{item_id}/stream", summary="How to play an item (direct, remux or HLS; a missing "
          "variant is requested from the worker), subtitle URLs, resume point, next episode", tags=TAGS,
          query=StreamQuery, response=StreamResponse, auth="user", errors_=(401, 404, 409, 422, 429, 503),
          throttle=ratelimit.stream_poll)  # a player polls while a variant is made: refused before the database
def stream_item(item_id: str, query: StreamQuery, principal: Principal) -> StreamResponse:
    return streaming.stream(item_id, principal, query.mode, query.session)


@endpoint(bp, "/api/v1/library/{item_id}/hls/{playlist}", summary="An HLS variant's playlist ({mode}.m3u8) with "
          "presigned segment URLs (the signed query is the credential; no Authorization header)", tags=TAGS,
          query=PlaylistQuery, errors_=(403, 404, 422))
def hls_playlist(item_id: str, playlist: str, query: PlaylistQuery) -> Response:
    text = streaming.playlist(item_id, playlist, query.exp, query.sig, query.session)
    return Response(body=text, status_code=200, headers={"Content-Type": "application/vnd.apple.mpegurl",
                                                         "Cache-Control": "no-store"})


@endpoint(bp, "/api/v1/library/{item_id}/trickplay", summary="An item's scrub previews: a WebVTT thumbnails track "
          "with presigned sprite URLs (the signed query is the credential; no Authorization header)", tags=TAGS,
          query=TrickplayQuery, errors_=(403, 404, 422))
def trickplay_track(item_id: str, query: TrickplayQuery) -> Response:
    text = trickplay.track(item_id, query.exp, query.sig)
    return Response(body=text, status_code=200, headers={"Content-Type": trickplay.MIME_TYPE,
                                                         "Cache-Control": "no-store"})


@endpoint(bp, "/api/v1/library/{item_id}/subtitles/{track_id}/sync", "POST", summary="Auto-sync a subtitle track "
          "to the file's audio (the worker's job; its state shows on the track in the item and stream answers)",
          tags=TAGS, response=SyncQueued, status=202, auth="user", errors_=(401, 404, 409, 429, 503))
def sync_subtitle(item_id: str, track_id: str, principal: Principal) -> SyncQueued:
    service.require_reachable(item_id, principal)
    return subtitle_sync.request(item_id, track_id, principal.user_id)


@endpoint(bp, "/api/v1/library/{item_id}/subtitles/{track_id}/offset", "PUT", summary="Your own offset for a "
          "subtitle track (-60..60 s in 0.1 s steps), returned on the stream answer's track", tags=TAGS,
          body=OffsetRequest, response=SubtitleOffset, auth="user", errors_=(400, 401, 404, 422))
def set_subtitle_offset(item_id: str, track_id: str, body: OffsetRequest, principal: Principal) -> SubtitleOffset:
    service.require_reachable(item_id, principal)
    return subtitle_sync.set_offset(item_id, track_id, principal.user_id, body.seconds)
