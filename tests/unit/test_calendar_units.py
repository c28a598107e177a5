"""Calendar rules without services: ranges, IGDB/TMDB mapping, windows, titles, the iCal document."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from chalicelib import errors
from chalicelib.calendar import fill, ical, upstream_events
from chalicelib.calendar.models import CalendarQuery
from chalicelib.calendar.service import months, resolve_range

TODAY = date(2026, 11, 22)


def query(**params) -> CalendarQuery:
    return CalendarQuery.model_validate(params)


def test_the_default_range_is_the_current_month_and_month_means_the_whole_month():
    assert resolve_range(query(), TODAY) == (date(2026, 11, 1), date(2026, 11, 30))
    assert resolve_range(query(month="2028-02"), TODAY) == (date(2028, 2, 1), date(2028, 2, 29))
    assert resolve_range(query(**{"from": "2026-01-01", "to": "2026-12-31"}), TODAY) == \
        (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize("params, field", [
    ({"from": "2026-03-01", "to": "2026-02-01"}, "from"),
    ({"from": "2026-01-01", "to": "2027-01-03"}, "to"),
    ({"from": "2026-01-01"}, "to"),
    ({"month": "2026-01", "to": "2026-01-05"}, "month"),
])
def test_bad_ranges_are_rejected_with_the_field_named(params, field):
    with pytest.raises(errors.ValidationFailed) as raised:
        resolve_range(query(**params), TODAY)
    assert field in raised.value.fields


def test_months_lists_every_month_a_range_touches():
    assert months(date(2026, 11, 20), date(2027, 2, 1)) == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1),
                                                            date(2027, 2, 1)]


@pytest.mark.parametrize("entry, expected", [
    ({"date_format": 0, "date": 1795046400}, (date(2026, 11, 19), "exact")),
    ({"category": 0, "date": 1795046400}, (date(2026, 11, 19), "exact")),  # the deprecated field name
    ({"date_format": 1, "y": 2027, "m": 5}, (date(2027, 5, 1), "month")),
    ({"date_format": 2, "y": 2027}, (date(2027, 1, 1), "year")),
    ({"date_format": 5, "y": 2027}, (date(2027, 7, 1), "quarter")),  # Q3
    ({"date_format": 7, "y": 2027}, None),  # TBD
])
def test_igdb_release_dates_become_windows(entry, expected):
    assert upstream_events.release_window(entry) == expected


def test_igdb_rows_become_events_per_platform_with_dlc_kind_and_region():
    games = {100: {"id": 1, "is_addon": False}, 200: {"id": 2, "is_addon": True}}
    entries = [{"game": 100, "platform": 167, "date_format": 6, "y": 2027, "region": 8},
               {"game": 200, "platform": 6, "date": 1795046400, "date_format": 0, "release_region": 2},
               {"game": 999, "platform": 6, "date": 1795046400}]
    events = upstream_events.game_events(entries, games, {167: 50, 6: 60})

    assert events == [
        {"media_id": 1, "kind": "game_release", "platform_id": 50, "release_date": date(2027, 10, 1),
         "release_precision": "quarter", "region": "worldwide"},
        {"media_id": 2, "kind": "dlc_release", "platform_id": 60, "release_date": date(2026, 11, 19),
         "release_precision": "exact", "region": "north_america"}]


def test_tmdb_release_dates_keep_wanted_regions_and_the_earliest_per_type():
    data = {"results": [
        {"iso_3166_1": "US", "release_dates": [{"type": 3, "release_date": "2026-12-18T00:00:00.000Z"},
                                               {"type": 3, "release_date": "2026-12-17T00:00:00.000Z"},
                                               {"type": 4, "release_date": "2027-02-01T00:00:00.000Z"}]},
        {"iso_3166_1": "FR", "release_dates": [{"type": 3, "release_date": "2026-12-16T00:00:00.000Z"}]}]}
    events = upstream_events.movie_events(7, data, {"US"})

    assert sorted((e["release_type"], e["release_date"]) for e in events) == [
        ("digital", date(2027, 2, 1)), ("theatrical", date(2026, 12, 17))]
    assert {e["region"] for e in events} == {"US"}


def test_window_end_covers_months_quarters_and_years():
    assert fill.window_end(date(2026, 11, 1), "month") == date(2026, 11, 30)
    assert fill.window_end(date(2026, 10, 1), "quarter") == date(2026, 12, 31)
    assert fill.window_end(date(2026, 1, 1), "year") == date(2026, 12, 31)
    assert fill.window_end(date(2026, 1, 5), "exact") == date(2026, 1, 5)


def event(**fields) -> dict:
    base = {"id": 1, "kind": "movie_release", "title": "Dune: Part Three", "date": "2026-12-18",
            "dateEnd": "2026-12-18", "precision": "exact", "releaseType": "theatrical", "region": "US",
            "isDemo": False, "media": {"id": 5, "mediaType": "movie", "title": "Dune: Part Three"},
            "episode": None, "platform": None}
    return {**base, **fields}


def test_the_ical_document_parses_back_with_all_day_events_and_stable_uids():
    events = [event(),
              event(id=2, kind="episode_air", title="Severance S03E01", date="2026-11-26", dateEnd="2026-11-26",
                    episode={"seasonNumber": 3, "episodeNumber": 1, "name": "Cold Harbor"}, isDemo=True,
                    media={"id": 6, "mediaType": "show", "title": "Severance"}, releaseType=None, region=None),
              event(id=3, kind="game_release", title="Fable (PC)", date="2026-01-01", dateEnd="2026-12-31",
                    precision="year", media={"id": 7, "mediaType": "game", "title": "Fable"}, releaseType=None)]
    parsed = Calendar.from_ical(ical.document(events, datetime(2026, 11, 22, tzinfo=UTC)))

    assert str(parsed["VERSION"]) == "2.0" and "seen" in str(parsed["PRODID"])
    found = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert set(found) == {"seen-release-1@seen", "seen-release-2@seen", "seen-release-3@seen"}
    movie = found["seen-release-1@seen"]
    assert movie.decoded("DTSTART") == date(2026, 12, 18) and movie.decoded("DTEND") == date(2026, 12, 19)
    assert str(movie["SUMMARY"]) == "Dune: Part Three"
    episode = found["seen-release-2@seen"]
    assert str(episode["SUMMARY"]) == "Severance S03E01 - Cold Harbor"
    assert "Demo data" in str(episode["DESCRIPTION"])
    assert str(found["seen-release-3@seen"]["SUMMARY"]) == "Fable (PC) (expected 2026)"
