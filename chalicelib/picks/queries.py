"""Picks' SQL: the named queries of ``db/queries/picks.sql`` (picks, the wanted list, monitoring), typed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class PickRow(TypedDict):
    id: UUID
    user_id: UUID
    media_id: int
    season: int | None
    episode: int | None
    profile_hash: str
    device_key: str  # '' when no device was given
    infohash: str | None
    name: str
    indexer: str
    score: dict[str, object]  # the candidate as the API showed it
    job_id: UUID | None
    reason: str
    created_at: datetime
    replaced_at: datetime | None
    replaced_by: UUID | None
    replaced_reason: str | None  # why the system replaced it (a stalled stream); None: a person did


class MediaRow(TypedDict):
    id: int
    media_type: str
    title: str
    year: int | None
    runtime_minutes: int | None


class EpisodeRow(TypedDict):
    id: int
    season_number: int
    episode_number: int
    air_date: date | None


class IdRow(TypedDict):
    id: UUID


class WantedRow(TypedDict):
    """A wanted unit with its title, episode and done state."""

    id: UUID
    user_id: UUID
    media_id: int
    season: int | None
    episode: int | None
    episode_id: int | None
    created_at: datetime
    attempts: int
    last_searched_at: datetime | None
    next_search_at: datetime | None
    last_error: str | None
    pick_id: UUID | None
    media_type: Literal["movie", "show"]  # only movies and shows are ever wanted
    title: str
    year: int | None
    poster_path: str | None
    episode_name: str | None
    air_date: date | None
    done_at: datetime | None


class WantedGroupRow(TypedDict):
    media_id: int
    ids: list[UUID]
    added_at: datetime


class MonitoredRow(TypedDict):
    user_id: UUID
    media_id: int
    media_type: str
    seasons: list[int] | None  # None: every season
    auto_get: bool
    cutoff: int | None
    checked_through: date
    created_at: datetime
    updated_at: datetime


class MonitoredMediaRow(TypedDict):
    media_id: int


class AiredRow(TypedDict):
    user_id: UUID
    media_id: int
    season: int | None
    episode: int | None


class DueRow(TypedDict):
    """A due wanted episode of an auto-get show."""

    id: UUID
    user_id: UUID
    media_id: int
    season: int | None
    episode: int | None
    attempts: int
    cutoff: int | None


# ------------------------------------------------------------------------------------------ picks


def lock_unit(conn: Conn, *, key: str) -> None:
    """A session-level advisory lock on ``key`` (one pick at a time per unit); ``unlock_unit`` releases it."""
    db.queries().picks_lock_unit(conn, key=key)


def unlock_unit(conn: Conn, *, key: str) -> None:
    db.queries().picks_unlock_unit(conn, key=key)


def current(conn: Conn, *, user_id: UUID, media_id: int, season: int | None, episode: int | None,
            profile_hash: str, device_key: str) -> PickRow | None:
    return db.queries().picks_current(conn, user_id=user_id, media_id=media_id, season=season, episode=episode,
                                      profile_hash=profile_hash, device_key=device_key)


def job_ended_badly(conn: Conn, *, job_id: UUID | None) -> bool:
    """The pick's download failed, was cancelled or deleted."""
    return db.queries().picks_job_ended_badly(conn, job_id=job_id)


def insert(conn: Conn, *, user_id: UUID, media_id: int, season: int | None, episode: int | None,
           profile_hash: str, device_key: str, infohash: str | None, name: str, indexer: str, score: object,
           job_id: UUID, reason: str) -> PickRow:
    """``score``: the candidate as JSON (psycopg's ``Jsonb``)."""
    return db.queries().picks_insert(conn, user_id=user_id, media_id=media_id, season=season, episode=episode,
                                     profile_hash=profile_hash, device_key=device_key, infohash=infohash, name=name,
                                     indexer=indexer, score=score, job_id=job_id, reason=reason)


def replace(conn: Conn, *, pick_id: UUID, user_id: UUID, replaced_reason: str | None = None) -> PickRow | None:
    return db.queries().picks_replace(conn, pick_id=pick_id, user_id=user_id, replaced_reason=replaced_reason)


def get(conn: Conn, *, pick_id: UUID, user_id: UUID) -> PickRow | None:
    return db.queries().picks_get(conn, pick_id=pick_id, user_id=user_id)


def of_job(conn: Conn, *, user_id: UUID, job_id: UUID) -> PickRow | None:
    """The user's pick whose download ``job_id`` is (the current one first)."""
    return db.queries().picks_of_job(conn, user_id=user_id, job_id=job_id)


def set_replaced_by(conn: Conn, *, pick_id: UUID, replaced_by: UUID) -> None:
    db.queries().picks_set_replaced_by(conn, pick_id=pick_id, replaced_by=replaced_by)


def picks_for(conn: Conn, *, user_id: UUID, media_id: int, season: int | None,
              episode: int | None) -> list[PickRow]:
    return list(db.queries().picks_for(conn, user_id=user_id, media_id=media_id, season=season, episode=episode))


def media(conn: Conn, *, media_id: int) -> MediaRow | None:
    return db.queries().picks_media(conn, media_id=media_id)


def episode(conn: Conn, *, media_id: int, season: int | None, episode: int) -> EpisodeRow | None:
    return db.queries().picks_episode(conn, media_id=media_id, season=season, episode=episode)


def season_exists(conn: Conn, *, media_id: int, season: int) -> bool:
    return db.queries().picks_season_exists(conn, media_id=media_id, season=season)


# ------------------------------------------------------------------------------------------ wanted


def wanted_insert_movie(conn: Conn, *, user_id: UUID, media_id: int) -> IdRow | None:
    """None when the movie is already wanted."""
    return db.queries().wanted_insert_movie(conn, user_id=user_id, media_id=media_id)


def wanted_insert_episodes(conn: Conn, *, user_id: UUID, media_id: int, season: int | None, episode: int | None,
                           aired_only: bool) -> list[IdRow]:
    return list(db.queries().wanted_insert_episodes(conn, user_id=user_id, media_id=media_id, season=season,
                                                    episode=episode, aired_only=aired_only))


def wanted_unit_ids(conn: Conn, *, user_id: UUID, media_id: int, season: int | None, episode: int | None,
                    aired_only: bool) -> list[IdRow]:
    return list(db.queries().wanted_unit_ids(conn, user_id=user_id, media_id=media_id, season=season,
                                             episode=episode, aired_only=aired_only))


def wanted_rows(conn: Conn, *, user_id: UUID, ids: list[UUID]) -> list[WantedRow]:
    return list(db.queries().wanted_rows(conn, user_id=user_id, ids=ids))


def wanted_group_page(conn: Conn, *, user_id: UUID, q: str | None, limit: int, offset: int) -> list[WantedGroupRow]:
    return list(db.queries().wanted_group_page(conn, user_id=user_id, q=q, limit=limit, offset=offset))


def wanted_group_count(conn: Conn, *, user_id: UUID, q: str | None) -> int:
    return db.queries().wanted_group_count(conn, user_id=user_id, q=q)


def wanted_delete(conn: Conn, *, wanted_id: UUID, user_id: UUID) -> IdRow | None:
    return db.queries().wanted_delete(conn, wanted_id=wanted_id, user_id=user_id)


def wanted_link_pick(conn: Conn, *, user_id: UUID, media_id: int, season: int | None, episode: int | None,
                     pick_id: UUID) -> None:
    db.queries().wanted_link_pick(conn, user_id=user_id, media_id=media_id, season=season, episode=episode,
                                  pick_id=pick_id)


# ------------------------------------------------------------------------------------------ monitoring


def monitored_upsert(conn: Conn, *, user_id: UUID, media_id: int, seasons: list[int], whole_show: bool) -> None:
    db.queries().monitored_upsert(conn, user_id=user_id, media_id=media_id, seasons=seasons, whole_show=whole_show)


def monitored_set(conn: Conn, *, user_id: UUID, media_id: int, auto_get: bool, cutoff: int | None) -> MonitoredRow:
    return db.queries().monitored_set(conn, user_id=user_id, media_id=media_id, auto_get=auto_get, cutoff=cutoff)


def monitored_delete(conn: Conn, *, user_id: UUID, media_id: int) -> MonitoredMediaRow | None:
    return db.queries().monitored_delete(conn, user_id=user_id, media_id=media_id)


def monitored_for(conn: Conn, *, user_id: UUID, media_ids: list[int]) -> list[MonitoredRow]:
    return list(db.queries().monitored_for(conn, user_id=user_id, media_ids=media_ids))


def monitor_add_aired(conn: Conn) -> list[AiredRow]:
    return list(db.queries().monitor_add_aired(conn))


def monitor_due(conn: Conn, *, limit: int) -> list[DueRow]:
    return list(db.queries().monitor_due(conn, limit=limit))


def monitor_searched(conn: Conn, *, wanted_id: UUID, pick_id: UUID | None, last_error: str | None,
                     retry_seconds: int | None) -> None:
    db.queries().monitor_searched(conn, wanted_id=wanted_id, pick_id=pick_id, last_error=last_error,
                                  retry_seconds=retry_seconds)
