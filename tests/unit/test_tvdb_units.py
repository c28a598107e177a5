"""Reading TheTVDB's series records into air times, with no services: the clock formats, the zone a time is in,
which remote ids a series owns, and the answer envelope."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import httpx
import pytest

from chalicelib.catalog import airtimes, tvdb, upstream
from chalicelib.catalog.tvdb_airtimes import lists_remote_id


@pytest.mark.parametrize(("raw", "expected"), [
    ("21:00", time(21, 0)), ("9:30", time(9, 30)), ("00:05", time(0, 5)), ("21:00:00", time(21, 0)),
    ("9:00 PM", time(21, 0)), ("12:30 am", time(0, 30)), ("12:00 P.M.", time(12, 0)),
])
def test_tvdb_air_times_read_in_both_formats(raw, expected):
    assert airtimes.tvdb_clock(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", "25:00", "21:60", "13:00 PM", "0:30 AM", "tonight", None, 2100])
def test_unusable_tvdb_air_times_are_none(raw):
    assert airtimes.tvdb_clock(raw) is None


def test_the_zone_is_the_original_networks_country_then_the_series_then_the_networks_home():
    hbo_import = {"originalNetwork": {"name": "HBO", "country": "usa"}, "originalCountry": "gbr"}
    assert airtimes.tvdb_zone(hbo_import, []) == "America/New_York"  # where it airs, not where it was made
    assert airtimes.tvdb_zone({"originalNetwork": {"name": "Channel X"}, "originalCountry": "jpn"}, []) == "Asia/Tokyo"
    assert airtimes.tvdb_zone({"originalNetwork": {"name": "BBC One", "country": "zzz"}}, []) == "Europe/London"
    assert airtimes.tvdb_zone({"originalNetwork": None}, ["ITV"]) == "Europe/London"  # TMDB's network
    assert airtimes.tvdb_zone({"originalNetwork": {"name": "Local TV"}}, ["Local TV"]) is None


def test_a_tvdb_slot_is_exact_and_moves_with_daylight_saving():
    series = {"airsTime": "21:00", "airsDays": {"sunday": True},
              "originalNetwork": {"name": "BBC One", "country": "gbr"}}

    extra = airtimes.slot_from_tvdb(series, ["BBC One"])

    assert extra == {"airTime": "21:00", "airTimezone": "Europe/London", "airTimeSource": "tvdb"}
    assert airtimes.air_at(date(2026, 7, 5), extra) == datetime(2026, 7, 5, 20, 0, tzinfo=UTC)  # BST
    assert airtimes.air_at(date(2026, 12, 6), extra) == datetime(2026, 12, 6, 21, 0, tzinfo=UTC)  # GMT


def test_a_series_without_a_time_or_a_zone_gives_nothing_so_the_approximation_stays():
    assert airtimes.slot_from_tvdb({"airsTime": "", "originalCountry": "usa"}, ["AMC"]) == {}
    assert airtimes.slot_from_tvdb({"airsTime": "20:00", "originalCountry": "xyz"}, ["Some Channel"]) == {}


def test_a_series_owns_an_imdb_id_and_a_number_only_as_tmdbs():
    series = {"remoteIds": [{"id": "tt0903747", "type": 2, "sourceName": "IMDB"},
                            {"id": "1396", "type": 12, "sourceName": "TheMovieDB.com"},
                            {"id": "169", "type": 4, "sourceName": "TV.com"}]}

    assert lists_remote_id(series, "tt0903747") and lists_remote_id(series, "1396")
    assert not lists_remote_id(series, "169")  # another site's number, not TMDB's
    assert not lists_remote_id(series, "tt0000001") and not lists_remote_id({}, "1396")


def test_the_answer_envelope_is_opened_or_refused():
    assert tvdb._data(httpx.Response(200, json={"status": "success", "data": {"token": "t"}}), "/login") == {
        "token": "t"}
    for response in (httpx.Response(200, json={"status": "failure", "data": None}),
                     httpx.Response(200, text="<html>maintenance</html>"), httpx.Response(200, json=[1])):
        with pytest.raises(upstream.UpstreamError):
            tvdb._data(response, "/series/1/extended")
