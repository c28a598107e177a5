"""/api/v1/admin/media-servers (admin): Jellyfin and Plex servers as library sources, their tests and syncs."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.mediaservers.models import (
    MediaServerCreate,
    MediaServerList,
    MediaServerOut,
    MediaServerPatch,
    MediaServerSync,
    SyncStarted,
)

bp = Blueprint(__name__)
SERVERS = "/api/v1/admin/media-servers"
ONE = f"{SERVERS}/{{server_id}}"
ADMIN = ("admin",)


@endpoint(bp, SERVERS, summary="Jellyfin and Plex servers mirrored into the library (tokens only as set)",
          tags=ADMIN, response=MediaServerList, auth="admin")
def list_servers(principal: Principal) -> MediaServerList:
    from chalicelib.mediaservers import service  # lazy: the server clients load for admin routes only

    return service.list_servers()


@endpoint(bp, SERVERS, "POST", summary="Add a Jellyfin (URL + API key) or Plex (URL + token) server", tags=ADMIN,
          body=MediaServerCreate, response=MediaServerOut, status=201, auth="admin", errors_=(409, 503))
def create_server(principal: Principal, body: MediaServerCreate) -> MediaServerOut:
    from chalicelib.mediaservers import service  # lazy: the server clients load for admin routes only

    return service.create(body)


@endpoint(bp, ONE, summary="One media server with its last sync", tags=ADMIN, response=MediaServerOut,
          auth="admin", errors_=(404,))
def get_server(server_id: str, principal: Principal) -> MediaServerOut:
    from chalicelib.mediaservers import service  # lazy: the server clients load for admin routes only

    return service.get(server_id)


@endpoint(bp, ONE, "PATCH", summary="Change a media server (the token is write-only)", tags=ADMIN,
          body=MediaServerPatch, response=MediaServerOut, auth="admin", errors_=(404, 409, 503))
def patch_server(server_id: str, principal: Principal, body: MediaServerPatch) -> MediaServerOut:
    from chalicelib.mediaservers import service  # lazy: the server clients load for admin routes only

    return service.update(server_id, body)


@endpoint(bp, ONE, "DELETE", summary="Remove a media server and what it held", tags=ADMIN, status=204,
          auth="admin", errors_=(404,))
def delete_server(server_id: str, principal: Principal) -> None:
    from chalicelib.mediaservers import service  # lazy: the server clients load for admin routes only

    service.delete(server_id)


@endpoint(bp, f"{ONE}/test", "POST", summary="Ask the server who it is now (502 with the reason when it fails)",
          tags=ADMIN, response=MediaServerOut, auth="admin", errors_=(404, 502))
def test_server(server_id: str, principal: Principal) -> MediaServerOut:
    from chalicelib.mediaservers import service  # lazy: the server clients load for admin routes only

    return service.test(server_id)


@endpoint(bp, f"{ONE}/sync", "POST", summary="Sync the server now (in the background; a sync already waiting or "
          "running is answered)", tags=ADMIN, response=SyncStarted, status=202, auth="admin", errors_=(404, 503))
def sync_server(server_id: str, principal: Principal) -> SyncStarted:
    from chalicelib.mediaservers import service  # lazy: the server clients load for admin routes only

    return service.request_sync(server_id)


@endpoint(bp, f"{ONE}/sync", summary="The sync waiting or running, else the last one, with its counts", tags=ADMIN,
          response=MediaServerSync, auth="admin", errors_=(404,))
def server_sync(server_id: str, principal: Principal) -> MediaServerSync:
    from chalicelib.mediaservers import service  # lazy: the server clients load for admin routes only

    return service.sync_status(server_id)
