"""The cache against a real Redis: read-through, TTLs, the invalidation contract, Redis down."""

import json

import pytest

from chalicelib import cache
from chalicelib.cache import Keys, Ttl


def test_read_through_loads_once_then_serves_from_redis(redis_client):
    calls = []

    def loader():
        calls.append(1)
        return {"rows": [1, 2, 3]}

    key = Keys.dashboard("u1")
    assert cache.read_through(key, Ttl.DASHBOARD, loader) == {"rows": [1, 2, 3]}
    assert cache.read_through(key, Ttl.DASHBOARD, loader) == {"rows": [1, 2, 3]}
    assert len(calls) == 1
    assert json.loads(redis_client.get(key)) == {"rows": [1, 2, 3]}
    assert 0 < redis_client.ttl(key) <= Ttl.DASHBOARD


def test_keys_follow_the_contract():
    assert Keys.dashboard("u") == "seen:v1:dashboard:u"
    assert Keys.continue_watching("u") == "seen:v1:continue-watching:u"
    assert Keys.recommendations("u") == "seen:v1:recommendations:u"
    assert Keys.calendar("u", "2026-11") == "seen:v1:calendar:u:v4:2026-11"
    assert Keys.ratelimit("login", "1.2.3.4") == "seen:v1:ratelimit:login:1.2.3.4"
    assert Keys.discover({"a": 1, "b": 2}) == Keys.discover({"b": 2, "a": 1})
    assert Keys.discover({"a": 1}) != Keys.discover({"a": 2})


def test_invalidation_rules_drop_exactly_the_keys_they_name(redis_client):
    user, other = "u1", "u2"
    keys = [Keys.dashboard(user), Keys.recommendations(user), Keys.continue_watching(user),
            Keys.calendar(user, "2026-11"), Keys.calendar(user, "2026-12"), Keys.dashboard(other),
            Keys.discover({"q": 1}), Keys.discover({"q": 2})]
    for key in keys:
        redis_client.set(key, "1")

    cache.on_watch_later_changed(user)
    left = {k.decode() for k in redis_client.keys("*")}
    assert left == {Keys.continue_watching(user), Keys.dashboard(other), Keys.discover({"q": 1}),
                    Keys.discover({"q": 2})}

    cache.on_progress_changed(user)
    cache.on_catalog_synced()
    assert {k.decode() for k in redis_client.keys("*")} == {Keys.dashboard(other)}


def test_redis_down_serves_from_the_loader_and_logs_a_warning(monkeypatch, caplog):
    from chalicelib import config

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    config.get_settings.cache_clear()
    cache.reset()
    try:
        with caplog.at_level("WARNING", logger="seen-api"):
            assert cache.read_through(Keys.dashboard("u"), 60, lambda: {"from": "postgres"}) == {"from": "postgres"}
            cache.invalidate(Keys.dashboard("u"))  # must not raise either
        assert any(getattr(r, "action", None) == "cache_unavailable" for r in caplog.records)
        assert not cache.available()  # backs off instead of paying a timeout per call
    finally:
        monkeypatch.undo()
        config.get_settings.cache_clear()
        cache.reset()


@pytest.mark.parametrize("value", [[], {}, 0, "", False])
def test_falsy_values_are_cached_too(redis_client, value):
    calls = []
    key = Keys.recommendations("falsy")
    for _ in range(2):
        cache.read_through(key, 60, lambda: calls.append(1) or value)
    assert len(calls) == 1
