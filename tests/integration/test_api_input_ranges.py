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


# --- found by the API fuzzer (tests/integration/test_api_fuzz.py)


@pytest.mark.parametrize("value", ["0.5", "0"])
def test_history_bounds_are_dates_not_unix_timestamps(me, value):
    _, api = me
    status, data = api("GET", f"{V1}/watched?{urlencode({'to': value})}")
    _field_error(status, data, "to")


def test_a_watch_time_given_as_a_number_is_refused(me, cat):
    _, api = me
    status, data = api("POST", f"{V1}/watched", {"mediaId": cat.movie(), "watchedAt": 0})
    _field_error(status, data, "watchedAt")


@pytest.fixture
def admin_api(client, make_user):
    from tests.integration.tracking_support import Api

    return Api(client, make_user(role="admin")[1])


@pytest.mark.parametrize("path", ["0" * 1024, "/".join(["0" * 255] * 2) + "/" + "0" * 10, "0" * 256])
def test_the_parse_route_refuses_paths_longer_than_a_library_holds(admin_api, path):
    import time

    started = time.monotonic()
    status, data = admin_api("POST", f"{V1}/library/parse", {"path": path})
    _field_error(status, data, "path")
    assert time.monotonic() - started < 1


def test_a_rescan_force_flag_must_be_a_boolean(admin_api, aws):
    status, data = admin_api("POST", f"{V1}/library/rescan", {"force": 0, "paths": []})
    _field_error(status, data, "force")


def test_the_document_lists_the_edge_policys_answers_on_every_operation(client):
    import json

    document = json.loads(client.http.get(f"{V1}/openapi.json").body)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method != "options":
                assert {"400", "413"} <= set(operation["responses"]), f"{method.upper()} {path}"
