"""Calendar events -> an RFC 5545 iCalendar document (icalendar library).

A release is an all-day event (``DTSTART;VALUE=DATE`` and an exclusive
``DTEND`` the next day), except an episode whose air time is known
(``airAt``): a timed event in UTC lasting ``TIMED_LENGTH``. A release known only to the month, quarter or year
sits on the window's first day and says so in its summary ("expected Q3
2027"). UIDs derive from the stored event id, which a refill keeps, so
calendar apps update an event when a date moves instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from chalicelib.calendar.models import EventJson

PRODID = "-//seen//release calendar//EN"
NAME = "/seen/ releases"
TIMED_LENGTH = timedelta(hours=1)
CATEGORY = {"movie_release": "Movie", "episode_air": "Episode", "season_premiere": "Season premiere",
            "game_release": "Game", "dlc_release": "DLC"}


def _expected(event: EventJson) -> str:
    day = date.fromisoformat(event["date"])
    if event["precision"] == "month":
        return f" (expected {day.strftime('%B %Y')})"
    if event["precision"] == "quarter":
        return f" (expected Q{(day.month - 1) // 3 + 1} {day.year})"
    if event["precision"] == "year":
        return f" (expected {day.year})"
    return ""


def _summary(event: EventJson) -> str:
    summary = event["title"]
    episode, release_type = event.get("episode"), event.get("releaseType")
    if event["kind"] == "episode_air" and episode and episode.get("name"):
        summary += f" - {episode.get('name')}"
    if event["kind"] == "movie_release" and release_type is not None and release_type != "theatrical":
        summary += f" ({release_type.replace('_', ' ')})"
    return summary + _expected(event)


def _description(event: EventJson) -> str:
    parts = [f"{CATEGORY[event['kind']]}: {event['media']['title']}"]
    if event.get("region"):
        parts.append(f"Region: {event['region']}")
    if event.get("isDemo"):
        parts.append("Demo data (bundled, offline catalog): check the real date before relying on it.")
    return "\n".join(parts)


def document(events: Sequence[EventJson], now: datetime) -> bytes:
    """The iCal bytes (UTF-8, CRLF line endings as RFC 5545 requires)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", NAME)
    for item in events:
        entry = Event()
        entry.add("uid", f"seen-release-{item['id']}@seen")
        entry.add("dtstamp", now)
        airs_at = item.get("airAt")
        if airs_at:
            moment = datetime.fromisoformat(airs_at).astimezone(UTC)
            entry.add("dtstart", moment)
            entry.add("dtend", moment + TIMED_LENGTH)
        else:
            start = date.fromisoformat(item["date"])
            entry.add("dtstart", start)
            entry.add("dtend", start + timedelta(days=1))
        entry.add("summary", _summary(item))
        entry.add("description", _description(item))
        entry.add("categories", [CATEGORY[item["kind"]]])
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical()
