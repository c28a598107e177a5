"""The egress guard for what a torrent job contacts besides its swarm: trackers, web seeds, listed peers, DHT nodes.

At submit time every tracker (``tr=``, ``announce``, ``announce-list``), web
seed (``ws=``, ``url-list``, ``httpseeds``), listed peer (``x.pe=``) and DHT
node (``dht=``, ``nodes``) goes through the same check as an HTTP source.
Forbidden ones are dropped from what is stored; a job that listed some and
kept none is refused, since its submitter pointed it only at places it may
not go. A name DNS cannot answer now is kept: the worker's libtorrent
``ip_filter`` checks every address it resolves at run time anyway. A magnet
that lists nothing finds its peers through the DHT and is accepted.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import cast
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from chalicelib import egress, errors
from chalicelib.downloads import bencode

MAX_ENDPOINTS = 64  # checked per job; more are dropped (each may cost a DNS lookup)
URL_KEYS = ("tr", "ws")
HOST_PORT_KEYS = ("x.pe", "dht")


class ForbiddenEndpoints(errors.BadRequest):
    code = "forbidden_trackers"


def _verdict(endpoint: str | tuple[str, int], allow_private: bool) -> str:
    """``ok``, ``forbidden`` (a refused address) or ``unusable`` (not a URL or host this can contact)."""
    if isinstance(endpoint, tuple) and not endpoint[0]:
        return "unusable"
    try:
        if isinstance(endpoint, tuple):
            egress.allowed_addresses(endpoint[0], endpoint[1], allow_private=allow_private)
        else:
            egress.check_url(endpoint, allow_private=allow_private, schemes=egress.TRACKER_SCHEMES)
    except egress.UrlRefused as exc:
        if exc.code == "unresolvable_host":
            return "ok"
        return "forbidden" if exc.code == "private_address" else "unusable"
    return "ok"


def verdicts(endpoints: list, allow_private: bool) -> list[str]:
    """One verdict per endpoint (resolved in parallel); endpoints past ``MAX_ENDPOINTS`` are unusable."""
    checked = endpoints[:MAX_ENDPOINTS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(lambda endpoint: _verdict(endpoint, allow_private), checked))
    return found + ["unusable"] * (len(endpoints) - len(checked))


def _require_some(found: list[str]) -> None:
    if found and "ok" not in found and "forbidden" in found:
        raise ForbiddenEndpoints(
            "Every tracker, web seed and peer of this torrent points at a private, loopback or link-local address",
            fields={"source": "forbidden_trackers"})


def _host_port(value: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(f"//{value}")
        return (parts.hostname, parts.port) if parts.hostname and parts.port else None
    except ValueError:
        return None


def _magnet_endpoint(key: str, value: str) -> str | tuple[str, int] | None:
    if key in URL_KEYS:
        return value
    if key in HOST_PORT_KEYS:
        return _host_port(value) or ("", 0)
    return None


def check_magnet(uri: str, *, allow_private: bool) -> str:
    """The magnet without forbidden endpoints; ``ForbiddenEndpoints`` when it listed only those."""
    params = parse_qsl(urlsplit(uri).query, keep_blank_values=True)
    endpoints = [(i, e) for i, (k, v) in enumerate(params) if (e := _magnet_endpoint(k, v)) is not None]
    found = verdicts([e for _, e in endpoints], allow_private)
    _require_some(found)
    dropped = {i for (i, _), verdict in zip(endpoints, found, strict=True) if verdict != "ok"}
    if not dropped:
        return uri
    kept = [param for i, param in enumerate(params) if i not in dropped]
    return "magnet:?" + urlencode(kept, safe=":/", quote_via=quote)


def _text(value: object) -> str | None:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else None


def _torrent_endpoints(decoded: dict) -> list:
    """Every endpoint of a decoded .torrent, as (key, where, endpoint) for rewriting."""
    found: list = [("announce", None, _text(decoded.get(b"announce")))]
    for t, tier in enumerate(decoded.get(b"announce-list") or []):
        found += [("announce-list", (t, i), _text(url)) for i, url in enumerate(tier if isinstance(tier, list) else [])]
    for key in (b"url-list", b"httpseeds"):
        seeds = decoded.get(key)
        for i, url in enumerate(seeds if isinstance(seeds, list) else [seeds] if seeds else []):
            found.append((key.decode(), i, _text(url)))
    for i, node in enumerate(decoded.get(b"nodes") or []):
        ok = isinstance(node, list) and len(node) == 2 and isinstance(node[1], int)
        found.append(("nodes", i, (_text(node[0]) or "", node[1]) if ok else ("", 0)))
    return [(key, where, endpoint or "") for key, where, endpoint in found if endpoint is not None]


def _rewrite(decoded: dict, drop: set) -> None:
    """Remove the dropped (key, where) endpoints from a decoded .torrent, in place."""
    if ("announce", None) in drop:
        decoded.pop(b"announce", None)
    if b"announce-list" in decoded:
        tiers = [[url for i, url in enumerate(tier) if ("announce-list", (t, i)) not in drop]
                 for t, tier in enumerate(decoded[b"announce-list"]) if isinstance(tier, list)]
        decoded[b"announce-list"] = [tier for tier in tiers if tier]
    for key in (b"url-list", b"httpseeds", b"nodes"):
        value = decoded.get(key)
        if isinstance(value, list):
            decoded[key] = [item for i, item in enumerate(value) if (key.decode(), i) not in drop]
        elif value and (key.decode(), 0) in drop:
            del decoded[key]
    for key in (b"announce-list", b"url-list", b"httpseeds", b"nodes"):
        if decoded.get(key) == []:
            del decoded[key]


def check_torrent(raw: bytes, *, allow_private: bool) -> bytes:
    """The .torrent without forbidden endpoints; ``ForbiddenEndpoints`` when it listed only those. The info
    dictionary keeps its bytes as given (and so its info hashes), even when they are not canonical.
    ``raw`` has passed ``torrentmeta.parse_torrent``."""
    top = bencode.decode(raw)
    decoded = cast(dict, bencode.to_python(top))  # parse_torrent checked it is a dictionary
    endpoints = _torrent_endpoints(decoded)
    found = verdicts([endpoint for _, _, endpoint in endpoints], allow_private)
    _require_some(found)
    drop = {(key, where) for (key, where, _), verdict in zip(endpoints, found, strict=True) if verdict != "ok"}
    if not drop:
        return raw
    _rewrite(decoded, drop)
    info = cast(bencode.Node, top.find_kind(b"info", "d"))
    decoded[b"info"] = bencode.Raw(raw[info.start:info.end])
    return bencode.encode(decoded)
