"""Talking to a media server over HTTP: one GET that answers JSON or says plainly why not."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from chalicelib import jsondepth
from chalicelib.egress import UrlRefused
from chalicelib.egress.clients import TooLarge, read_capped
from chalicelib.mediaservers.errors import ServerFailed

MAX_PAGE_BYTES = 32 * 1024 * 1024  # a page of 500 items with every field is ~1 MB: anything near this is wrong
PAGE_WITHIN = 30.0  # seconds for a whole page however it trickles (an API thread waits on it)
STATUS_WORDS = {401: "refused the key or token", 403: "refused the key or token", 404: "has no such API here"}


@dataclass(frozen=True)
class ServerInfo:
    """Who the server says it is: its own id (it builds deep links), name and version."""

    remote_id: str
    name: str
    version: str | None


def get_json(http: httpx.Client, url: str, headers: Mapping[str, str],
             params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """GET ``url`` and its JSON object; ``ServerFailed`` with a plain reason for anything else."""
    try:
        with http.stream("GET", url, headers=dict(headers), params=dict(params or {})) as response:
            if response.status_code != 200:
                words = STATUS_WORDS.get(response.status_code, f"answered HTTP {response.status_code}")
                raise ServerFailed(f"The server {words}")
            body = read_capped(response, MAX_PAGE_BYTES, within=PAGE_WITHIN)
    except UrlRefused as exc:
        raise ServerFailed(f"The address is not allowed: {exc}") from None
    except TooLarge:
        raise ServerFailed("The server's answer is too large") from None
    except httpx.HTTPError as exc:
        raise ServerFailed(f"The server could not be reached ({type(exc).__name__})") from None
    try:
        data = _decode(body)
    except jsondepth.TooDeep as exc:
        raise ServerFailed(f"The server's answer is {exc.msg}") from None
    except (ValueError, RecursionError):
        raise ServerFailed("The server's answer is not JSON") from None
    if not isinstance(data, dict):
        raise ServerFailed("The server's answer is not a JSON object")
    return data


def _decode(body: bytes) -> Any:
    """A page's JSON, decoded in C. orjson refuses what the stdlib reads (an escaped lone surrogate in one item's
    overview, say): such a page is read again by ``json``, so one odd item never fails a sync (its text is
    cleaned where it is read, ``items.storable``). Nesting is checked first (``jsondepth.TooDeep``)."""
    jsondepth.check(body)
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)

