"""Plex webhooks: a multipart/form-data POST whose ``payload`` part is the event JSON (a ``thumb`` JPEG
part may come along and is ignored).

Events used: ``media.play``, ``media.resume``, ``media.pause``, ``media.stop`` (progress at
``Metadata.viewOffset`` of ``Metadata.duration``, both milliseconds) and ``media.scrobble`` (Plex's own
"watched", sent at 90%). ``Metadata.type`` is movie or episode; ids come from ``Metadata.Guid``
(``imdb://tt…``, ``tmdb://…``, ``tvdb://…``) or the legacy agent guid
(``com.plexapp.agents.imdb://tt…``, ``com.plexapp.agents.thetvdb://SHOW/SEASON/EPISODE``).
"""

from __future__ import annotations

from collections.abc import Mapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from chalicelib import inputpolicy
from chalicelib.scrobble.payloads import BadPayload, Ids, Play, imdb, number, seconds, text

PROGRESS = {"media.play", "media.resume", "media.pause", "media.stop"}


def payload_part(body: bytes, content_type: str) -> bytes:
    """The raw ``payload`` form field of a multipart body (JSON bodies pass through)."""
    if content_type.split(";")[0].strip().lower() == "application/json":
        return body
    if "multipart/form-data" not in content_type.lower():
        raise BadPayload("A Plex webhook is multipart/form-data with a payload field",
                         fields={"Content-Type": "expected multipart/form-data"})
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    for part in message.iter_parts() if message.is_multipart() else ():
        if part.get_param("name", header="content-disposition") == "payload":
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    raise BadPayload("The multipart body has no payload field", fields={"payload": "required"})


def _guid_ids(metadata: Mapping[str, Any]) -> Ids:
    found: dict[str, str] = {}
    guids = [g.get("id") for g in metadata.get("Guid") or () if isinstance(g, dict)]
    for guid in [*guids, metadata.get("guid")]:
        if isinstance(guid, str) and "://" in guid:
            scheme, _, rest = guid.partition("://")
            agent = scheme.rsplit(".", 1)[-1].replace("themoviedb", "tmdb").replace("thetvdb", "tvdb")
            found.setdefault(agent, rest.split("?")[0].split("/")[0])
    return Ids(imdb=imdb(found.get("imdb")), tmdb=number(found.get("tmdb")), tvdb=number(found.get("tvdb")))


def _legacy_show(metadata: Mapping[str, Any]) -> Ids:
    guid = metadata.get("guid")
    guid = guid if isinstance(guid, str) else ""
    if "thetvdb://" in guid:
        return Ids(tvdb=number(guid.split("://", 1)[1].split("/")[0]))
    return Ids()


def parse(raw: bytes) -> Play:
    body = inputpolicy.load_json(raw)
    if not isinstance(body, dict) or not isinstance(body.get("event"), str):
        raise BadPayload("Not a Plex webhook event", fields={"event": "required"})
    metadata = body.get("Metadata")
    meta: Mapping[str, Any] = metadata if isinstance(metadata, dict) else {}
    event, kind = body["event"], meta.get("type")
    if kind not in ("movie", "episode") or (event not in PROGRESS and event != "media.scrobble"):
        return Play(action="ignore")
    episode_ids = _guid_ids(meta) if kind == "episode" else Ids()
    return Play(action="watched" if event == "media.scrobble" else "progress", kind=kind,
                ids=_guid_ids(meta) if kind == "movie" else Ids(imdb=episode_ids.imdb, tmdb=episode_ids.tmdb),
                show_ids=_legacy_show(meta), title=text(meta.get("title")),
                show_title=text(meta.get("grandparentTitle")), year=number(meta.get("year")),
                season=number(meta.get("parentIndex")), episode=number(meta.get("index")),
                position=seconds(meta.get("viewOffset"), 1000), duration=seconds(meta.get("duration"), 1000))
