"""Login throttling that a stranger cannot turn against the owner, and the client address it counts by.

The chalice test client connects from 127.0.0.1, a trusted proxy in the test
stage, so ``X-Forwarded-For`` plays the client address here the way the
production server's front (make dev) and Caddy at home set it.
"""

import json

import httpx
import pytest

from tests.integration.auth_support import JSON, PASSWORD, error_code, register
from tests.server_support import production_server

OWNER = "owner@example.com"
WRONG = "not the password!"


def login_from(client, ip: str | None, email: str = OWNER, password: str = PASSWORD):
    headers = {**JSON, **({"X-Forwarded-For": ip} if ip else {})}
    return client.http.post("/api/v1/auth/login", body=json.dumps({"email": email, "password": password}),
                            headers=headers)


def session_ips() -> list[str]:
    from chalicelib import db

    with db.connection() as conn:
        rows = conn.execute("SELECT host(ip) AS ip FROM sessions ORDER BY created_at").fetchall()
    return [row["ip"] for row in rows]


def assert_throttled(response, at_most: int) -> None:
    assert response.status_code == 429 and error_code(response) == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= at_most


@pytest.fixture
def owner(client):
    assert register(client, OWNER).status_code == 201


def test_brute_force_from_one_address_is_throttled_and_the_owner_elsewhere_gets_in(client, owner, settings_env):
    settings_env(SEEN_RATE_LOGIN_ACCOUNT_IP="3/900", SEEN_RATE_LOGIN_IP="100/300")
    for _ in range(3):
        assert login_from(client, "203.0.113.9", password=WRONG).status_code == 401
    assert_throttled(login_from(client, "203.0.113.9", password=WRONG), 900)
    assert_throttled(login_from(client, "203.0.113.9"), 900)  # the guesser's address waits, right password or not
    assert login_from(client, "198.51.100.7").status_code == 200  # the owner, elsewhere, at once


def test_failures_from_many_addresses_slow_the_failing_clients_but_never_block_a_clean_one(
        client, owner, settings_env, clock):
    settings_env(SEEN_RATE_LOGIN_EMAIL="2/900", SEEN_RATE_LOGIN_ACCOUNT_IP="50/900", SEEN_LOGIN_SLOWDOWN_MAX="8")
    guessers = [f"203.0.113.{i}" for i in range(1, 7)]
    for ip in guessers:
        assert login_from(client, ip, password=WRONG).status_code == 401
    # Six failures against a threshold of two: a failing client waits the cap (8 s) after its last failure.
    assert_throttled(login_from(client, guessers[0], password=WRONG), 8)
    assert login_from(client, "198.51.100.7").status_code == 200  # never failed here: not held back
    clock.advance(seconds=8)
    assert login_from(client, guessers[0], password=WRONG).status_code == 401
    assert_throttled(login_from(client, guessers[0], password=WRONG), 8)


def test_the_slowdown_doubles_per_failure_past_the_threshold(client, settings_env):
    from chalicelib.auth import throttle

    settings_env(SEEN_RATE_LOGIN_EMAIL="3/900", SEEN_LOGIN_SLOWDOWN_MAX="10")
    assert [throttle.slowdown(n) for n in range(2, 9)] == [0, 1, 2, 4, 8, 10, 10]


def test_only_failures_count_and_a_success_clears_that_address(client, owner, settings_env):
    settings_env(SEEN_RATE_LOGIN_ACCOUNT_IP="2/900", SEEN_RATE_LOGIN_IP="100/300")
    for _ in range(4):
        assert login_from(client, "203.0.113.5").status_code == 200  # successes add up to nothing
    assert login_from(client, "203.0.113.5", password=WRONG).status_code == 401
    assert login_from(client, "203.0.113.5").status_code == 200
    assert login_from(client, "203.0.113.5", password=WRONG).status_code == 401
    assert login_from(client, "203.0.113.5").status_code == 200


def test_unknown_accounts_are_throttled_like_known_ones(client, settings_env):
    settings_env(SEEN_RATE_LOGIN_ACCOUNT_IP="2/900", SEEN_RATE_LOGIN_IP="100/300")
    for _ in range(2):
        assert login_from(client, "203.0.113.5", email="ghost@example.com").status_code == 401
    assert_throttled(login_from(client, "203.0.113.5", email="ghost@example.com"), 900)


def test_an_ipv6_client_counts_as_its_64(client, owner, settings_env):
    settings_env(SEEN_RATE_LOGIN_ACCOUNT_IP="2/900", SEEN_RATE_LOGIN_IP="100/300")
    assert login_from(client, "2001:db8:1:2::a", password=WRONG).status_code == 401
    assert login_from(client, "2001:db8:1:2::b", password=WRONG).status_code == 401
    assert_throttled(login_from(client, "2001:db8:1:2::c"), 900)
    assert login_from(client, "2001:db8:1:3::1").status_code == 200


def test_per_address_limit_sees_the_forwarded_client_not_the_proxy(client, settings_env):
    settings_env(SEEN_RATE_LOGIN_IP="2/300")
    for _ in range(2):
        assert login_from(client, "203.0.113.5", email="x@example.com").status_code == 401
    assert login_from(client, "203.0.113.5", email="x@example.com").status_code == 429
    assert login_from(client, "198.51.100.7", email="x@example.com").status_code == 401


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(client, owner, settings_env):
    settings_env(SEEN_TRUSTED_PROXIES="10.0.0.0/8", SEEN_RATE_LOGIN_IP="2/300")  # 127.0.0.1 is not a proxy now
    for ip in ("203.0.113.1", "203.0.113.2"):
        assert login_from(client, ip, email="x@example.com").status_code == 401
    assert login_from(client, "203.0.113.3", email="x@example.com").status_code == 429  # all one address


def test_behind_a_trusted_proxy_the_rightmost_untrusted_entry_is_the_client(client, owner):
    # The client forged "6.6.6.6"; the (trusted, loopback) proxy appended the address it saw.
    assert login_from(client, "6.6.6.6, 198.51.100.7").status_code == 200
    assert login_from(client, "6.6.6.6, 198.51.100.8, 127.0.0.1").status_code == 200
    assert session_ips()[-2:] == ["198.51.100.7", "198.51.100.8"]


@pytest.mark.parametrize(("source", "forwarded", "proxies", "expected"), [
    ("198.51.100.7", "6.6.6.6", (), "198.51.100.7"),
    ("127.0.0.1", "6.6.6.6, 198.51.100.7", ("127.0.0.1/32",), "198.51.100.7"),
    ("10.0.0.2", "198.51.100.7, 10.0.0.1", ("10.0.0.0/8",), "198.51.100.7"),
    ("10.0.0.2", "10.0.0.3, 10.0.0.1", ("10.0.0.0/8",), "10.0.0.3"),
    ("127.0.0.1", "not-an-ip, 198.51.100.7", ("127.0.0.1/32",), "198.51.100.7"),
    ("127.0.0.1", "198.51.100.7, garbage", ("127.0.0.1/32",), "127.0.0.1"),
    ("127.0.0.1", None, ("127.0.0.1/32",), "127.0.0.1"),
    ("::ffff:198.51.100.7", None, (), "198.51.100.7"),
])
def test_forwarded_for_is_walked_from_the_right_over_trusted_proxies_only(source, forwarded, proxies, expected):
    import ipaddress

    from chalicelib.auth.clientaddr import resolve

    assert resolve(source, forwarded, [ipaddress.ip_network(p) for p in proxies]) == expected


def test_trusted_proxies_setting_is_validated():
    from chalicelib.config import ConfigError
    from chalicelib.config.auth import AuthSettings

    assert AuthSettings.from_env({"SEEN_TRUSTED_PROXIES": ""}, "test").trusted_proxies == ()
    assert [str(n) for n in AuthSettings.from_env({}, "local").trusted_proxies] == ["127.0.0.1/32", "::1/128"]
    assert AuthSettings.from_env({"SEEN_JWT_SECRET": "x" * 32}, "prod").trusted_proxies == ()
    with pytest.raises(ConfigError, match="SEEN_TRUSTED_PROXIES"):
        AuthSettings.from_env({"SEEN_TRUSTED_PROXIES": "10.0.0.0/33"}, "test")


@pytest.mark.parametrize(("args", "seen"), [(["--edge"], "127.0.0.1"), ([], "6.6.6.6")],
                         ids=["edge-drops-it", "believed-from-a-trusted-proxy"])
def test_the_production_server_believes_forwarded_for_only_from_a_trusted_proxy(app_db, aws, tmp_path, args, seen):
    """`make dev` (``--edge``, clients connect directly) drops a forged X-Forwarded-For; at home the peer is
    Caddy, a trusted proxy (loopback in this stage), and the address it forwards is the client."""
    with production_server(tmp_path / "server.log", *args) as running:
        response = httpx.post(running.base_url + "/api/v1/auth/register", headers={"X-Forwarded-For": "6.6.6.6"},
                              json={"email": OWNER, "password": PASSWORD, "displayName": "Owner"}, timeout=30)
    assert response.status_code == 201, response.text
    assert session_ips() == [seen]
