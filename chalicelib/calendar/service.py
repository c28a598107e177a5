"""The release calendar read side and the secret iCal feed.

A user's calendar holds every movie, game and DLC release and season premiere
in the range, plus the episodes of the shows they follow (the tracking follow
rule: explicit follows, and shows they watch that are still airing) or saved
to watch later, and the titles of the people they follow (``reason`` "person",
``personName``). ``watchlistOnly`` keeps only the titles they follow or saved
and those of followed people. A day's events come timed first, in time order
(``airAt``: an episode's air time when known, ``airTimeApproximate`` when it is
the network's usual slot), then the "Anytime" ones (``anytime``: streaming
drops, unknown times, releases). ``view=week`` is the seven days from ``from``
(default today), the calendar's week view.

Caching: one Redis entry per user and calendar month (``Keys.calendar``, 6 h)
holding that month's unfiltered events; a range reads the months it spans
(loading the missing ones with one query) and filters in memory. Follows and
watch later changes drop the user's months (the tracking rules), a fill drops
everyone's.

The iCal feed: ``rotate_token`` makes a random 256-bit token, stores only its
SHA-256 in ``user_preferences.calendar_token_hash`` and returns the token once;
the feed finds its user by that hash (unique index) and compares in constant
time. Rotating replaces the hash, so the old URL answers 404 from then on.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from chalicelib import cache, clock, db, errors
from chalicelib.calendar import DEFAULT_REGION, queries
from chalicelib.calendar.models import (
    CalendarEvent,
    CalendarFilters,
    CalendarOut,
    CalendarQuery,
    EventChannelJson,
    EventEpisodeJson,
    EventJson,
    EventMediaJson,
    EventPlatformJson,
    FeedTokenOut,
)
from chalicelib.calendar.queries import EventRow
from chalicelib.catalog import images
from chalicelib.contentrating import Limit, limit_for
from chalicelib.db import Conn
from chalicelib.tracking.follows import followed_show_ids

MAX_RANGE_DAYS = 366
WEEK_DAYS = 7
FEED_PAST_DAYS, FEED_FUTURE_DAYS = 30, 365
FEED_PATH = "/api/v1/calendar.ics"
KINDS_BY_TYPE = {"movie": {"movie_release"}, "show": {"episode_air", "season_premiere"},
                 "game": {"game_release", "dlc_release"}, "video": {"video_release"}}


class InvalidRange(errors.ValidationFailed):
    code = "invalid_range"


class UnknownFilter(errors.ValidationFailed):
    code = "unknown_filter"


class FeedNotFound(errors.NotFound):
    """A wrong, rotated or disabled user's token: the same answer for all three."""

    code = "calendar_feed_not_found"


def resolve_range(query: CalendarQuery, today: date) -> tuple[date, date]:
    """The first and last day asked for: ``view=week`` (seven days from ``from`` or today), ``month``,
    ``from``/``to``, or the current month."""
    if query.view == "week":
        if query.month is not None or query.to is not None:
            field = "month" if query.month is not None else "to"
            raise InvalidRange("A week starts at from and lasts seven days",
                               fields={field: "cannot be combined with view=week"})
        start = query.from_ or today
        return start, start + timedelta(days=WEEK_DAYS - 1)
    if query.month is not None:
        if query.from_ is not None or query.to is not None:
            raise InvalidRange("Give either month or from/to, not both",
                               fields={"month": "cannot be combined with from/to"})
        year, month = map(int, query.month.split("-"))
        return _month_bounds(date(year, month, 1))
    if query.from_ is None and query.to is None:
        return _month_bounds(today.replace(day=1))
    if query.from_ is None or query.to is None:
        missing = "from" if query.from_ is None else "to"
        raise InvalidRange("from and to go together", fields={missing: "is required with the other bound"})
    if query.from_ > query.to:
        raise InvalidRange("from is after to", fields={"from": "must not be after to"})
    if (query.to - query.from_).days + 1 > MAX_RANGE_DAYS:
        raise InvalidRange(f"The range is longer than {MAX_RANGE_DAYS} days",
                           fields={"to": f"at most {MAX_RANGE_DAYS} days after from"})
    return query.from_, query.to


def _month_bounds(first: date) -> tuple[date, date]:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def months(start: date, end: date) -> list[date]:
    """First days of the calendar months that [start, end] touches."""
    found, current = [], start.replace(day=1)
    while current <= end:
        found.append(current)
        current = _month_bounds(current)[1] + timedelta(days=1)
    return found


def check_filters(conn: Conn, filters: CalendarFilters) -> None:
    """Unknown platform or genre slugs are an error, not an empty calendar."""
    if filters.platform and not queries.platform_exists(conn, slug=filters.platform):
        raise UnknownFilter(f"Unknown platform {filters.platform!r}", fields={"platform": "unknown platform slug"})
    if filters.genre and not queries.genre_exists(conn, slug=filters.genre):
        raise UnknownFilter(f"Unknown genre {filters.genre!r}", fields={"genre": "unknown genre slug"})


def _event(row: EventRow) -> EventJson:
    episode = None
    if row["kind"] in ("episode_air", "season_premiere"):
        episode = EventEpisodeJson(seasonNumber=row["season_number"], episodeNumber=row["episode_number"],
                                   name=row["episode_name"], overview=row["episode_overview"],
                                   stillUrl=images.url(row["media_type"], row["episode_still_path"], "still"))
    platform = EventPlatformJson(slug=row["platform_slug"], name=row["platform_name"]) if row["platform_slug"] else None
    media = EventMediaJson(id=row["media_id"], mediaType=row["media_type"], title=row["title"], year=row["year"],
                           posterUrl=images.url(row["media_type"], row["poster_path"]),
                           backdropUrl=images.url(row["media_type"], row["backdrop_path"], "backdrop"))
    air_at = row["release_at"].isoformat() if row["release_at"] else None
    return EventJson(
        id=row["id"], kind=row["kind"], title=display_title(row), date=row["release_date"].isoformat(),
        dateEnd=row["window_end"].isoformat(), precision=row["release_precision"], releaseType=row["release_type"],
        region=row["region"], isDemo=row["is_demo"], media=media, episode=episode, platform=platform,
        genres=list(row["genres"] or ()), followed=row["followed"], onWatchLater=row["on_watch_later"],
        airAt=air_at, airTimeApproximate=air_at is not None and row["air_time_source"] == "network",
        airsAt=air_at, anytime=air_at is None,
        reason=_reason(row), personName=row["person_name"],
        channel=EventChannelJson(id=str(row["channel_id"]), title=row["channel_title"])
        if row["channel_id"] and row["channel_title"] else None,
        ownedOn=list(row["owned_on"] or ()))


def _reason(row: EventRow) -> str | None:
    """Why the event is yours: you follow the show, saved the title, or follow someone in it."""
    if row["followed"]:
        return "followed"
    if row["on_watch_later"]:
        return "watch_later"
    if row["channel_title"]:
        return "channel"
    return "person" if row["person_name"] else None


def display_title(row: EventRow) -> str:
    """'Severance S03E01', 'Severance: Season 3 premiere', 'Elden Ring (PS5)' (the platform's short name),
    'Dune: Part Three'."""
    title = row["title"]
    if row["kind"] == "episode_air":
        return f"{title} S{row['season_number']:02d}E{row['episode_number']:02d}"
    if row["kind"] == "season_premiere":
        return f"{title}: Season {row['season_number']} premiere"
    if row["kind"] == "video_release" and row["channel_title"]:
        return f"{row['channel_title']}: {title}"
    if row["platform_name"]:
        return f"{title} ({row['platform_abbreviation'] or row['platform_name']})"
    return title


def _load_months(conn: Conn | None, user_id: UUID, wanted: list[date],
                 limit: Limit | None = None) -> dict[str, list[EventJson]]:
    start, end = wanted[0], _month_bounds(wanted[-1])[1]
    # The caller's connection when it has one: taking a second from the pool while holding one can
    # starve the pool under load (every thread holding one, waiting for another).
    with nullcontext(conn) if conn is not None else db.connection() as conn:
        followed = sorted(followed_show_ids(conn, user_id))
        rows = queries.events(conn, date_from=start, date_to=end, default_region=DEFAULT_REGION,
                              followed=followed, user_id=user_id, limit=limit)
    events = [(row["release_date"], row["window_end"], _event(row)) for row in rows]
    loaded = {}
    for first in wanted:
        last = _month_bounds(first)[1]
        loaded[first.strftime("%Y-%m")] = [e for begins, ends, e in events if begins <= last and ends >= first]
    return loaded


def _month_key(month: str, limit: Limit | None) -> str:
    """A month's cache slot: a kid's limit is part of it, so a changed limit never reads the old month."""
    if limit is None:
        return month
    return f"{month}:kid{limit.max_age}:{cache.query_hash(sorted(str(c) for c in limit.collections))}"


def month_events(user_id: UUID, start: date, end: date, conn: Conn | None = None,
                 limit: Limit | None = None) -> list[EventJson]:
    """The user's unfiltered events of every month [start, end] touches (cached per month; months not
    cached are read on ``conn``, else on a connection of their own). ``limit``: a kid profile's."""
    found: dict[str, list[EventJson]] = {}
    missing = []
    for first in months(start, end):
        key = first.strftime("%Y-%m")
        cached = cache.get_json(cache.Keys.calendar(user_id, _month_key(key, limit)))
        if cached is None:
            missing.append(first)
        else:
            found[key] = cached
    if missing:
        for key, events in _load_months(conn, user_id, missing, limit).items():
            cache.set_json(cache.Keys.calendar(user_id, _month_key(key, limit)), events, cache.Ttl.CALENDAR)
            found[key] = events
    unique: dict[int, EventJson] = {}
    for key in sorted(found):
        for event in found[key]:
            unique.setdefault(event["id"], event)
    return list(unique.values())


def _keep(event: EventJson, filters: CalendarFilters, start: date, end: date) -> bool:
    if event["date"] > end.isoformat() or event["dateEnd"] < start.isoformat():
        return False
    if filters.watchlist_only and not (event["followed"] or event["onWatchLater"] or event.get("personName")):
        return False
    if filters.media_type and event["kind"] not in KINDS_BY_TYPE[filters.media_type]:
        return False
    if filters.platform and (event["platform"] or {}).get("slug") != filters.platform:
        return False
    return not filters.genre or filters.genre in event["genres"]


def events(user_id: UUID, filters: CalendarFilters, start: date, end: date,
           conn: Conn | None = None, limit: Limit | None = None) -> list[EventJson]:
    """Filtered events overlapping [start, end], by day, then timed ones by time before the "Anytime" ones,
    then title (``conn``: see ``month_events``; ``limit``: a kid profile's)."""
    kept = [e for e in month_events(user_id, start, end, conn, limit) if _keep(e, filters, start, end)]
    return sorted(kept, key=lambda e: (e["date"], _moment(e), e["media"]["title"], e["title"], e["id"]))


def _moment(event: EventJson) -> tuple[int, str]:
    """Timed events first in time order (ISO instants in UTC sort as text), then "Anytime"."""
    at = event.get("airAt")
    if not at:
        return (1, "")
    return (0, datetime.fromisoformat(at).astimezone(UTC).isoformat())


def calendar(user_id: UUID, query: CalendarQuery, limit: Limit | None = None) -> CalendarOut:
    """``GET /calendar``: validated range and filters, then the user's events (within a kid's ``limit``)."""
    start, end = resolve_range(query, clock.now().date())
    with db.connection() as conn:
        check_filters(conn, query)
    items = [CalendarEvent.model_validate(e) for e in events(user_id, query, start, end, limit=limit)]
    return CalendarOut.model_validate({"from": start, "to": end, "items": items, "total": len(items)})


# ------------------------------------------------------------------- feed


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def rotate_token(user_id: UUID, base_url: str | None) -> FeedTokenOut:
    """A new feed token (the previous one stops working); the token is returned only here."""
    token = secrets.token_urlsafe(32)
    with db.connection() as conn:
        created_at = queries.set_token(conn, user_id=user_id, token_hash=token_hash(token))
    path = f"{FEED_PATH}?token={token}"
    return FeedTokenOut(token=token, feed_path=path, feed_url=f"{base_url.rstrip('/')}{path}" if base_url else None,
                        created_at=created_at)


def feed_owner(token: str) -> tuple[UUID, Limit | None]:
    """The user (profile) a feed token belongs to and its kid limit; FeedNotFound for anything else."""
    expected = token_hash(token)
    with db.connection() as conn:
        row = queries.token_owner(conn, token_hash=expected)
    if row is None or not hmac.compare_digest(bytes(row["calendar_token_hash"]), expected):
        raise FeedNotFound("No calendar feed for this token (it may have been rotated)")
    kind, collections = row["profile_kind"] or "adult", row["allowed_collections"]
    try:
        limit = limit_for(kind, row["max_rating"], collections)
    except ValueError:  # a label the tables no longer know: the kid default, never no limit
        limit = limit_for(kind, None, collections)
    return row["user_id"], limit


def feed(token: str, filters: CalendarFilters) -> bytes:
    """The iCal document of a feed token: 30 days back to a year ahead."""
    from chalicelib.calendar import ical  # lazy: icalendar is ~70 ms of import, only the feed needs it

    user_id, limit = feed_owner(token)
    with db.connection() as conn:
        check_filters(conn, filters)
    today = clock.now().date()
    found = events(user_id, filters, today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=FEED_FUTURE_DAYS),
                   limit=limit)
    return ical.document(found, clock.now())
