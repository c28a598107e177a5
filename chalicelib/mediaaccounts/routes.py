"""/api/v1/me/media-servers: your own account on the household's Jellyfin and Plex servers, and their streams."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.mediaaccounts.models import AccountLinkIn, MyMediaServer, MyMediaServerList, ServerStream

bp = Blueprint(__name__)
MINE = "/api/v1/me/media-servers"
LINK = f"{MINE}/{{server_id}}/link"
TAGS = ("media servers",)


@endpoint(bp, MINE, summary="The media servers you may link, with your link and its last import", tags=TAGS,
          response=MyMediaServerList, auth="adult")
def my_servers(principal: Principal) -> MyMediaServerList:
    from chalicelib.mediaaccounts import service  # lazy: the server clients load for these routes only

    return service.my_servers(principal.user_id)


@endpoint(bp, LINK, "PUT", summary="Link your account (Jellyfin: username and password; Plex: your token; "
          "never returned) and import what you played once", tags=TAGS, body=AccountLinkIn, response=MyMediaServer,
          auth="adult", errors_=(404, 409, 422, 502, 503))
def link(server_id: str, principal: Principal, body: AccountLinkIn) -> MyMediaServer:
    from chalicelib.mediaaccounts import service  # lazy: the server clients load for these routes only

    return service.link(principal.user_id, server_id, body)


@endpoint(bp, LINK, "DELETE", summary="Unlink your account (its token is deleted)", tags=TAGS, status=204,
          auth="adult", errors_=(404,))
def unlink(server_id: str, principal: Principal) -> None:
    from chalicelib.mediaaccounts import service  # lazy: the server clients load for these routes only

    service.unlink(principal.user_id, server_id)


@endpoint(bp, f"{MINE}/{{server_id}}/import", "POST", summary="Import what you played on the server again (in "
          "the background)", tags=TAGS, response=MyMediaServer, status=202, auth="adult", errors_=(404, 409, 503))
def import_again(server_id: str, principal: Principal) -> MyMediaServer:
    from chalicelib.mediaaccounts import service  # lazy: the server clients load for these routes only

    return service.request_import(principal.user_id, server_id)


@endpoint(bp, "/api/v1/media-servers/{server_id}/items/{item_id}/stream", summary="Play an owned file from the "
          "server itself, with your token (only a server you linked)", tags=TAGS, response=ServerStream,
          auth="user", errors_=(404, 502))
def item_stream(server_id: str, item_id: str, principal: Principal) -> ServerStream:
    from chalicelib.mediaaccounts import service  # lazy: the server clients load for these routes only

    return service.stream(principal.user_id, server_id, item_id, principal)
