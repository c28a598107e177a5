"""What the worker's stream log lines say about their stream: the job's info hash, the player's session.

The worker is never handed the job's info hash (the API has it on the job's row): it is read from the job's own
source, the magnet's ``xt`` or the .torrent's info dictionary, once per job. The magnet itself is never logged.
"""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

BTIH = re.compile(r"[?&]xt=urn:btih:([0-9a-f]{40}|[a-z2-7]{32})(?:&|$)", re.IGNORECASE)
BTMH = re.compile(r"[?&]xt=urn:btmh:1220([0-9a-f]{64})(?:&|$)", re.IGNORECASE)  # sha2-256 multihash (v2)
MAX_REMEMBERED = 256

_hashes: dict[str, str | None] = {}  # job id -> info hash (the event loop's and the monitor's threads read it)


def session_of(raw: str | None) -> tuple[bool, uuid.UUID | None]:
    """(acceptable, session) of a stream URL's ``session`` parameter: absent is fine, a non-UUID is not."""
    if raw is None or raw == "":
        return True, None
    try:
        return True, uuid.UUID(raw)
    except ValueError:
        return False, None


def magnet_hash(magnet: str) -> str | None:
    """A magnet's info hash in lower-case hex (v1 before v2), None when it names none."""
    found = BTIH.search(magnet)
    if found is not None:
        value = found.group(1)
        return value.lower() if len(value) == 40 else base64.b32decode(value.upper()).hex()
    found = BTMH.search(magnet)
    return found.group(1).lower() if found is not None else None


def _torrent_hash(data: bytes) -> str | None:
    try:
        import libtorrent as lt  # lazy: loaded already wherever a .torrent job runs, not where none does

        hashes = lt.torrent_info(data).info_hashes()  # the bytes as given: a re-encoding has another hash
        return str(hashes.v1 if hashes.has_v1() else hashes.v2)
    except Exception:  # a field of a log line: an unreadable .torrent is the engine's error to report, not ours
        return None


def _hash_from(source_type: str, source: str | None, torrent: bytes | None) -> str | None:
    if source_type == "magnet" and source:
        return magnet_hash(source)
    if source_type == "torrent" and torrent:
        return _torrent_hash(torrent)
    return None  # HTTP downloads have none


def infohash(job: Any) -> str | None:
    """The info hash of a worker job (``worker.jobs.ActiveJob``), None for HTTP ones or when unreadable."""
    spec = job.spec
    if spec.job_id not in _hashes:  # read once per job: a .torrent's parse is not for every range request
        if len(_hashes) >= MAX_REMEMBERED:
            _hashes.clear()
        _hashes[spec.job_id] = _hash_from(spec.source_type, spec.source, spec.torrent)
    return _hashes[spec.job_id]
