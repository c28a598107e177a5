"""Dates and numbers the database cannot hold are refused at the edge with the error envelope, never a 500.

Each case here was a 500 (or a silently stored nonsense value) before the
request models were bounded to what Postgres and Python's date accept.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.integration.tracking_support import code

V1 = "/api/v1"


def _field_error(status: int, data: dict, field: str) -> None:
    assert status == 422, data
    assert code(data) == "validation_error"
    assert field in data["error"]["fields"], data


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "1849-12", "2201-01"])
def test_calendar_month_outside_the_supported_years_is_a_validation_error(me, month):
    _, api = me
    status, data = api("GET", f"{V1}/calendar?{urlencode({'month': month})}")
    _field_error(status, data, "month")


@pytest.mark.parametrize(("start", "end", "field"), [
    ("9999-12-01", "9999-12-31", "from"),
    ("0001-01-01", "0001-01-31", "from"),
    ("2200-12-01", "9999-12-31", "to"),
])
def test_calendar_range_outside_the_supported_years_is_a_validation_error(me, start, end, field):
    _, api = me
    status, data = api("GET", f"{V1}/calendar?{urlencode({'from': start, 'to': end})}")
    _field_error(status, data, field)


def test_calendar_at_the_last_supported_month_answers(me):
    _, api = me
    status, data = api("GET", f"{V1}/calendar?month=2200-12")
    assert status == 200, data
    assert (data["from"], data["to"]) == ("2200-12-01", "2200-12-31")


@pytest.mark.parametrize(("param", "value"), [("to", "9999-12-31"), ("from", "0001-01-01"),
                                              ("to", "9999-12-31T23:59:59+00:00")])
def test_history_bounds_outside_the_supported_years_are_a_validation_error(me, param, value):
    _, api = me
    status, data = api("GET", f"{V1}/watched?{urlencode({param: value})}")
    _field_error(status, data, param)


def test_a_watch_dated_before_the_supported_years_is_refused(me, cat):
    _, api = me
    status, data = api("POST", f"{V1}/watched", {"mediaId": cat.movie(), "watchedAt": "0001-01-01T00:00:00Z"})
    _field_error(status, data, "watchedAt")


@pytest.mark.parametrize("duration", [5e-324, 1e-10, 0.004, 0.5])
def test_a_heartbeat_duration_under_one_second_is_a_validation_error(me, cat, duration):
    _, api = me
    status, data = api("POST", f"{V1}/progress",
                       {"mediaId": cat.movie(), "durationSeconds": duration, "positionSeconds": 0})
    _field_error(status, data, "durationSeconds")


def test_a_one_second_heartbeat_is_stored(me, cat):
    _, api = me
    status, data = api("POST", f"{V1}/progress", {"mediaId": cat.movie(), "durationSeconds": 1, "positionSeconds": 0})
    assert status == 200, data


@pytest.mark.parametrize("body", [{"startedOn": "0001-01-01"}, {"finishedOn": "9999-12-31"}])
def test_backlog_dates_outside_the_supported_years_are_refused(me, cat, body):
    _, api = me
    status, data = api("PUT", f"{V1}/games/backlog/{cat.game()}", {"status": "active", **body})
    _field_error(status, data, next(iter(body)))
