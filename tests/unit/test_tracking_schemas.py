"""Tracking request models: what a body or query string may say before any SQL runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from chalicelib.tracking import errors, service
from chalicelib.tracking.schemas import BacklogIn, HeartbeatIn, HistoryQuery, RatingIn, WatchedIn


def heartbeat(**values):
    return HeartbeatIn.model_validate({"mediaId": 1, **values})


def test_heartbeat_positions_must_be_finite_non_negative_and_within_the_duration():
    assert heartbeat(positionSeconds=0, durationSeconds=1).position_seconds == 0
    assert heartbeat(positionSeconds=104, durationSeconds=100).position_seconds == 100  # slack, clamped
    for raw in ('{"mediaId": 1, "positionSeconds": NaN, "durationSeconds": 10}',
                '{"mediaId": 1, "positionSeconds": 1, "durationSeconds": -Infinity}'):
        with pytest.raises(ValidationError):
            HeartbeatIn.model_validate(json.loads(raw))
    for position, duration in ((-0.5, 10), (10.6, 10), (5, 0), (1, 2_000_000)):
        with pytest.raises(ValidationError):
            heartbeat(positionSeconds=position, durationSeconds=duration)


def test_ids_are_strict_positive_bigints():
    for media_id in (0, -3, 2**63, "5", True, 1.5):
        with pytest.raises(ValidationError):
            WatchedIn.model_validate({"mediaId": media_id})
    assert WatchedIn.model_validate({"mediaId": 2**63 - 1}).media_id == 2**63 - 1


def test_ratings_are_half_steps_between_1_and_10():
    assert [RatingIn(rating=r).rating for r in (1, 5.5, 10)] == [1, 5.5, 10]
    for bad in (0, 0.5, 10.5, 3.3, 7.25):
        with pytest.raises(ValidationError):
            RatingIn(rating=bad)


def test_watched_at_is_utc_and_not_in_the_future():
    naive = WatchedIn.model_validate({"mediaId": 1, "watchedAt": "2020-02-03T04:05:06"})
    assert naive.watched_at == datetime(2020, 2, 3, 4, 5, 6, tzinfo=UTC)
    with pytest.raises(ValidationError):
        WatchedIn.model_validate({"mediaId": 1, "watchedAt": "2999-01-01T00:00:00Z"})


def test_history_date_bounds_cover_whole_days():
    query = HistoryQuery.model_validate({"from": "2024-03-01", "to": "2024-03-31"})
    assert query.since == datetime(2024, 3, 1, tzinfo=UTC)
    assert query.until == datetime(2024, 4, 1, tzinfo=UTC)  # exclusive: the 31st is included
    exact = HistoryQuery.model_validate({"to": "2024-03-31T12:00:00+02:00"})
    assert exact.until == datetime(2024, 3, 31, 10, tzinfo=UTC)


def test_backlog_status_must_be_one_of_the_five():
    assert BacklogIn(status="wishlist").model_fields_set == {"status"}
    with pytest.raises(ValidationError):
        BacklogIn.model_validate({"status": "playing"})


def test_media_ids_from_paths_that_cannot_be_ids_are_not_found():
    assert service.media_id_param("42") == 42
    for raw in ("0", "-1", "1.5", "abc", "٣", str(2**63), ""):
        with pytest.raises(errors.MediaNotFound):
            service.media_id_param(raw)


def test_an_order_must_name_every_item_exactly_once():
    service.check_order([3, 1, 2], [1, 2, 3])
    for wanted in ([1, 2], [1, 2, 3, 3], [1, 2, 4]):
        with pytest.raises(errors.InvalidOrder):
            service.check_order(wanted, [1, 2, 3])
