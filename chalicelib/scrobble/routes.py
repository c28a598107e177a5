"""Media-server webhook routes: your secret URLs, and the endpoints Jellyfin and Plex post to."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib import api, inputpolicy
from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.scrobble import jellyfin, plex, secrets, service
from chalicelib.scrobble.models import HookOut, HookUrl, WebhooksOut
from chalicelib.scrobble.queries import HookRow

bp = Blueprint(__name__)
V1 = "/api/v1"
TAGS = ("webhooks",)
# Plex sends the item's poster as a JPEG part next to the payload: usually well under 1 MB, 4 MiB leaves room
# for large artwork and still fits a Lambda event once base64-encoded (5.4 MiB of the 6 MiB it carries).
PLEX_MAX_BYTES = 4 * 1024 * 1024
# Jellyfin's webhook plugin posts its JSON template alone (no images): a few KB; 1 MiB for long overviews.
JELLYFIN_MAX_BYTES = 1024 * 1024


def _raw_body() -> bytes:
    body = api.current_request().raw_body or b""
    return body.encode() if isinstance(body, str) else body


def _out(secret: str, row: HookRow) -> WebhooksOut:
    base = api.public_base_url()
    urls = {}
    for server in ("jellyfin", "plex"):
        path = f"{V1}/hooks/{server}/{secret}"
        urls[server] = HookUrl(path=path, url=f"{base}{path}" if base else None)
    return WebhooksOut(**urls, generation=row["generation"], created_at=row["created_at"],
                       updated_at=row["updated_at"])


@endpoint(bp, f"{V1}/me/webhooks", summary="Your secret Jellyfin and Plex webhook URLs", tags=TAGS,
          response=WebhooksOut, auth="adult")
def get_webhooks(principal: Principal) -> WebhooksOut:
    return _out(*secrets.current_secret(principal.user_id))


@endpoint(bp, f"{V1}/me/webhooks/rotate", "POST", summary="New webhook URLs (the old ones stop working)",
          tags=TAGS, response=WebhooksOut, auth="adult")
def rotate_webhooks(principal: Principal) -> WebhooksOut:
    return _out(*secrets.rotate_secret(principal.user_id))


@endpoint(bp, f"{V1}/hooks/jellyfin/{{secret}}", "POST", summary="Jellyfin webhook plugin events (the secret "
          "in the path is the credential)", tags=TAGS, response=HookOut, errors_=(400, 404, 413, 422),
          max_body_bytes=JELLYFIN_MAX_BYTES)
def jellyfin_hook(secret: str) -> HookOut:
    raw = _raw_body()
    play = jellyfin.parse(inputpolicy.load_json(raw) if raw.strip() else None)
    return service.apply(secret, "jellyfin", play, raw)


@endpoint(bp, f"{V1}/hooks/plex/{{secret}}", "POST", summary="Plex webhook events (multipart payload; the "
          "secret in the path is the credential)", tags=TAGS, response=HookOut, errors_=(400, 404, 413, 422),
          max_body_bytes=PLEX_MAX_BYTES, content_types=("multipart/form-data",))
def plex_hook(secret: str) -> HookOut:
    request = api.current_request()
    raw = plex.payload_part(_raw_body(), (request.headers or {}).get("content-type", ""))
    return service.apply(secret, "plex", plex.parse(raw), raw)
