"""The search cache: Redis hot key ``seen:v1:sources:{key}`` over a ``search_cache`` row, both with a TTL.

The key hashes what decides the answer: media, season/episode, the quality profile's hash and the
enabled indexers (id + updated_at, so adding, changing or disabling one starts afresh). Users with
the same profile share answers. Entries hold whole candidates (magnet and link too: a pick resolves
its source from them) and the per-indexer report; a payload that no longer fits ``Scored.from_cache``
or has no report (written before a deploy) is a miss.
Redis down: the row answers; Postgres down: the caller's request fails as any other would.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib import cache, db
from chalicelib.sources import queries
from chalicelib.sources.queries import IndexerRow
from chalicelib.sources.report import SearchedData
from chalicelib.sources.scoring_types import Scored


def key(media_id: int, season: int | None, episode: int | None, profile_hash: str,
        indexers: list[IndexerRow]) -> str:
    enabled = sorted((str(row["id"]), row["updated_at"].isoformat()) for row in indexers)
    return cache.query_hash({"m": media_id, "s": season, "e": episode, "p": profile_hash, "i": enabled})


def redis_key(cache_key: str) -> str:
    return f"{cache.PREFIX}:sources:{cache_key}"


def load(cache_key: str) -> tuple[list[Scored], list[dict[str, str]], list[SearchedData]] | None:
    payload: Any = cache.get_json(redis_key(cache_key))  # JSON of any shape (an older deploy's): checked below
    if payload is None:
        with db.connection() as conn:
            row = queries.cache_get(conn, key=cache_key)
        payload = row["payload"] if row else None
    if payload is None:
        return None
    try:
        return ([Scored.from_cache(item) for item in payload["candidates"]], list(payload["errors"]),
                list(payload["searched"]))
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def store(cache_key: str, scored: list[Scored], errors: list[dict[str, str]], searched: list[SearchedData],
          ttl: int) -> None:
    payload = {"candidates": [s.to_cache() for s in scored], "errors": errors, "searched": searched}
    text = json.dumps(payload, separators=(",", ":"))
    with db.connection() as conn:
        queries.cache_purge(conn)
        queries.cache_put(conn, key=cache_key, payload=text, ttl_seconds=ttl)
    cache.set_json(redis_key(cache_key), payload, ttl)
