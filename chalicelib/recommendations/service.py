"""Recommendations: snapshots (compute, store, read), dismissals and onboarding genres.

A snapshot is one user's ranked list, computed by ``compute_snapshot`` and
stored in ``recommendation_snapshots``. Reads take the newest snapshot, drop
what the user has watched, rated, saved, played or dismissed since, and cache
the result in Redis (``Keys.recommendations``, 30 min).

Stale: a snapshot stores the fingerprint of the user's taste tables it was
computed from (counts and latest changes of ratings, favorites, watches,
game statuses, watch later, dismissals and favorite genres; see
``recs_taste_states``). When the fingerprint differs now, the snapshot is
stale. A taste-changing write drops the cached list at once (the tracking
rules call ``cache.on_taste_changed``), and the next read finds the snapshot
stale and computes a new one (``fresh_snapshot``), so a rating, a watch or a
"not interested" shows on the very next view with its reason. The work is
bounded per user: one snapshot per change, however often the user reads;
reads between changes are served from the cache or the stored snapshot. The
scheduled job (every 10 minutes) recomputes stale snapshots of active users
who did not come back to read, plus any older than a day.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from chalicelib import cache, clock, db, errors, gcpause
from chalicelib.catalog.models import MediaSummary
from chalicelib.catalog.service import summary
from chalicelib.catalog.store import to_json
from chalicelib.contentrating import Limit
from chalicelib.db import Conn
from chalicelib.jobruns import JobRun, run_recorded
from chalicelib.library.errors import MediaNotFound
from chalicelib.logs import get_logger
from chalicelib.notifications import service as notifications
from chalicelib.profiles import guard as content_guard
from chalicelib.recommendations import candidates, queries, scoring
from chalicelib.recommendations.models import (
    DismissalOut,
    FavoriteGenre,
    PreferencesIn,
    PreferencesOut,
    Reason,
    Recommendation,
    RecommendationPage,
    RecommendationsQuery,
)
from chalicelib.recommendations.queries import SnapshotItemRow, TasteStateRow

ALGORITHM_VERSION = "seen-recs-1"
KEEP_SNAPSHOTS = 5
ACTIVE_DAYS = 30
MAX_SNAPSHOT_AGE = timedelta(hours=24)
JOB_NAME = "recommendations.snapshots"
JOB_BATCH = 100  # snapshots per run; the rest wait for the next run (oldest first)


class UnknownGenre(errors.ValidationFailed):
    code = "unknown_genre"


def compute_snapshot(conn: Conn, user_id: UUID, trigger: str = "schedule", *, fetch_upstream: bool = False,
                     taste: str | None = None) -> dict[str, object]:
    """Compute, store and publish a new snapshot for the user; returns its id, time and stats."""
    started = time.perf_counter()
    with gcpause.paused():
        loaded = candidates.load(conn, user_id, clock.now(), fetch_upstream=fetch_upstream)
        scoring_started = time.perf_counter()
        items, stats = scoring.rank(loaded.inputs)
    stats["taste"] = taste or loaded.taste  # as read before scoring: a write during the run leaves it stale
    stats["timingsMs"] = {**loaded.timings_ms, "scoring": round((time.perf_counter() - scoring_started) * 1000, 1)}
    duration_ms = round((time.perf_counter() - started) * 1000)
    with conn.transaction():
        row = queries.insert_snapshot(conn, user_id=user_id, algorithm_version=ALGORITHM_VERSION, trigger=trigger,
                                      items=_json(items), item_count=len(items), is_cold_start=stats["coldStart"],
                                      duration_ms=duration_ms, stats=_json(stats))
        queries.prune_snapshots(conn, user_id=user_id, keep=KEEP_SNAPSHOTS)
    cache.on_snapshot_written(user_id)
    get_logger().info("recommendation snapshot written", extra={
        "action": "recs_snapshot_written", "user_id": str(user_id), "trigger": trigger, "items": len(items),
        "signals": stats["signals"], "cold_start": stats["coldStart"], "duration_ms": duration_ms})
    return {"snapshot_id": row["id"], "computed_at": row["computed_at"], "duration_ms": duration_ms, **stats}


def _json(value: Any) -> str:
    return to_json(value)


# ------------------------------------------------------------------- reads


def _payload(rows: list[SnapshotItemRow]) -> dict[str, Any]:
    first = rows[0]
    items = [{"media": summary(row).model_dump(mode="json", by_alias=True), "score": row["item"]["score"],
              "reasons": row["item"]["reasons"], "primaryGenreId": row["item"].get("primaryGenreId"),
              "franchiseIds": row["item"].get("franchiseIds") or []}
             for row in rows if row["id"] is not None]
    return {"snapshotId": str(first["snapshot_id"]), "computedAt": first["computed_at"].isoformat(),
            "coldStart": first["is_cold_start"], "items": items}


def fresh_snapshot(conn: Conn, user_id: UUID) -> bool:
    """Compute the user's snapshot when there is none or their taste changed since the newest one.

    Returns True when it computed one. A read calls this, so what the user
    just rated, watched or dismissed reshapes the list they see next; with an
    unchanged fingerprint it costs one small statement. Concurrent readers
    (the dashboard and this page, two tabs) compute once: the others wait on
    the user's lock and then find the snapshot fresh.
    """
    if _fresh(_taste_state(conn, user_id)):
        return False
    with conn.transaction():
        queries.lock_user(conn, user_id=user_id)
        state = _taste_state(conn, user_id)
        if _fresh(state):
            return False
        compute_snapshot(conn, user_id, "on_demand", taste=state["taste"] if state else None)
    return True


def _taste_state(conn: Conn, user_id: UUID) -> TasteStateRow | None:
    return next(iter(queries.taste_states(conn, user_ids=[user_id], all_users=False)), None)


def _fresh(state: TasteStateRow | None) -> bool:
    return state is not None and state["snapshot_id"] is not None and state["snapshot_taste"] == state["taste"]


def snapshot_rows(conn: Conn, user_id: UUID, limit: Limit | None = None) -> list[SnapshotItemRow]:
    """The newest snapshot's rows (``recs_snapshot_items``), recomputed first when it is stale; within a kid
    profile's ``limit``."""
    fresh_snapshot(conn, user_id)
    return queries.snapshot_items(conn, user_id=user_id, limit=limit)


def _load(user_id: UUID, limit: Limit | None = None) -> dict[str, Any]:
    with db.connection() as conn:
        rows = snapshot_rows(conn, user_id, limit)
    return _payload(rows)


def current(user_id: UUID, limit: Limit | None = None) -> dict[str, Any]:
    """The user's current list (cached): newest snapshot minus what they know by now. A kid's list is read
    each time (its cache key is the user's: a kid's list must never be served from an unfiltered entry)."""
    if limit is not None:
        return _load(user_id, limit)
    return cache.read_through(cache.Keys.recommendations(user_id), cache.Ttl.RECOMMENDATIONS, lambda: _load(user_id))


def recommendations(user_id: UUID, query: RecommendationsQuery, limit: Limit | None = None) -> RecommendationPage:
    """One page of recommendations, filtered by type and diversified per page (``limit``: a kid's)."""
    data = current(user_id, limit)
    items = [i for i in data["items"] if query.media_type in (None, i["media"]["mediaType"])]
    ordered = scoring.diversify(items, query.page_size)
    start = (query.page - 1) * query.page_size
    page = [Recommendation(media=MediaSummary.model_validate(i["media"]), score=i["score"],
                           reasons=[Reason.model_validate(r) for r in i["reasons"]])
            for i in ordered[start:start + query.page_size]]
    return RecommendationPage(items=page, page=query.page, page_size=query.page_size, total=len(items),
                              computed_at=datetime.fromisoformat(data["computedAt"]), cold_start=data["coldStart"])


# ------------------------------------------------------- dismiss, preferences


def dismiss(user_id: UUID, media_id: int, reason: str, principal: object = None) -> DismissalOut:
    """Never recommend this title again (idempotent; a new reason replaces the old). MediaNotFound, also for
    a title out of a kid profile's reach."""
    with db.transaction() as conn:
        content_guard.require_media(conn, principal, media_id, MediaNotFound(f"No title with id {media_id}"))
        row = queries.dismiss(conn, user_id=user_id, media_id=media_id, reason=reason)
    if row is None:
        raise MediaNotFound(f"No title with id {media_id}")
    cache.on_taste_changed(user_id)
    return DismissalOut.model_validate(row)


def preferences(conn: Conn, user_id: UUID) -> PreferencesOut:
    """The user's onboarding picks (favorite genres, by slug) and notification settings."""
    genres = [FavoriteGenre.model_validate(r) for r in queries.favorite_genres(conn, user_id=user_id)]
    return PreferencesOut(favorite_genres=genres, onboarded_at=queries.onboarded_at(conn, user_id=user_id),
                          notifications=notifications.settings(conn, user_id))


def get_preferences(user_id: UUID) -> PreferencesOut:
    """The user's preferences, on a connection of their own."""
    with db.connection() as conn:
        return preferences(conn, user_id)


def _set_genres(conn: Conn, user_id: UUID, slugs: list[str]) -> bool:
    """Replace the favorite genres; True when the user has no history yet (a cold start)."""
    found = list(queries.genres_by_slugs(conn, slugs=slugs))
    unknown = sorted(set(slugs) - {r["slug"] for r in found})
    if unknown:
        raise UnknownGenre(f"Unknown genre: {', '.join(unknown)}",
                           fields={"favoriteGenres": f"unknown genre slug(s): {', '.join(unknown)}"})
    queries.replace_favorite_genres(conn, user_id=user_id, genre_ids=sorted({r["id"] for r in found}))
    queries.touch_preferences(conn, user_id=user_id)
    return not queries.has_history(conn, user_id=user_id)


def set_preferences(user_id: UUID, body: PreferencesIn) -> PreferencesOut:
    """Replace the favorite genres (UnknownGenre names any slug that is not a genre) and/or change the
    notification settings, in one transaction.

    A user without history gets a fresh snapshot right away (cheap: the
    popularity prior in the picked genres), so onboarding shows its effect.
    """
    cold = False
    with db.transaction() as conn:
        if body.favorite_genres is not None:
            cold = _set_genres(conn, user_id, body.favorite_genres)
        if body.notifications is not None:
            notifications.update(conn, user_id, body.notifications)
    if body.favorite_genres is not None:
        cache.on_taste_changed(user_id)
    with db.connection() as conn:
        if cold:
            compute_snapshot(conn, user_id, "on_demand")
        return preferences(conn, user_id)


# --------------------------------------------------------------------- job


def _due(state: TasteStateRow, now: datetime) -> bool:
    recent = now - timedelta(days=ACTIVE_DAYS)
    active = any(at is not None and at >= recent for at in (state["last_active_at"], state["taste_changed_at"]))
    if not active:
        return False
    return (state["snapshot_id"] is None or state["snapshot_taste"] != state["taste"]
            or state["computed_at"] is None or state["computed_at"] < now - MAX_SNAPSHOT_AGE)


def refresh_due() -> dict[str, int]:
    """Recompute the snapshots of active users that are missing, stale or older than a day."""
    now = clock.now()
    with db.connection() as conn:
        states = queries.taste_states(conn, user_ids=[], all_users=True)
    due = [s for s in states if _due(s, now)]
    computed, failed = 0, 0
    for state in due[:JOB_BATCH]:
        try:
            with db.connection() as conn:
                compute_snapshot(conn, state["user_id"], "schedule", fetch_upstream=True, taste=state["taste"])
            computed += 1
        except Exception:  # one user's failure must not stop the others
            failed += 1
            get_logger().exception("recommendation snapshot failed", extra={
                "action": "recs_snapshot_failed", "user_id": str(state["user_id"])})
    return {"users": len(states), "due": len(due), "computed": computed, "failed": failed,
            "deferred": max(0, len(due) - JOB_BATCH)}


def run_job(trigger: str = "schedule") -> JobRun:
    """The scheduled snapshot job, recorded in sync_state as ``recommendations.snapshots``."""
    return run_recorded(JOB_NAME, refresh_due, trigger)
