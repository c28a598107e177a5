"""Auth building blocks without services: settings, password policy, tokens, cookies, CSRF."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import jwt
import pytest

from chalicelib.auth import cookies, passwords, tokens
from chalicelib.auth.errors import CsrfFailed, InvalidToken, TokenExpired, WeakPassword
from chalicelib.config import DEV_JWT_SECRET, ConfigError, RateLimit, Settings, get_settings

SECRET = "s" * 40


def test_local_and_test_stages_fall_back_to_the_dev_secret_and_plain_cookies():
    for stage in ("local", "test"):
        auth = Settings.from_env({"SEEN_STAGE": stage}).auth
        assert auth.jwt_secret == DEV_JWT_SECRET and auth.cookie_secure is False


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_deployed_stages_refuse_to_start_without_a_signing_secret(stage):
    with pytest.raises(ConfigError, match="SEEN_JWT_SECRET"):
        Settings.from_env({"SEEN_STAGE": stage, "DATABASE_URL": "postgresql://db/seen"})
    auth = Settings.from_env({"SEEN_STAGE": stage, "DATABASE_URL": "postgresql://db/seen",
                              "SEEN_JWT_SECRET": SECRET, "SEEN_STREAM_SECRET": SECRET}).auth
    assert auth.jwt_secret == SECRET and auth.cookie_secure is True


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"SEEN_JWT_SECRET": "too-short"}, "SEEN_JWT_SECRET"),
        ({"SEEN_STAGE": "prod", "DATABASE_URL": "postgresql://db/seen", "SEEN_JWT_SECRET": SECRET,
          "SEEN_COOKIE_SECURE": "false"}, "SEEN_COOKIE_SECURE"),
        ({"SEEN_RATE_LOGIN_IP": "ten"}, "SEEN_RATE_LOGIN_IP"),
        ({"SEEN_RATE_LOGIN_EMAIL": "0/60"}, "SEEN_RATE_LOGIN_EMAIL"),
        ({"SEEN_ACCESS_TOKEN_TTL": "5"}, "SEEN_ACCESS_TOKEN_TTL"),
        ({"SEEN_ARGON2_MEMORY_KIB": "1024"}, "SEEN_ARGON2_MEMORY_KIB"),
    ],
)
def test_bad_auth_settings_name_the_variable(env, name):
    with pytest.raises(ConfigError, match=name):
        Settings.from_env(env)


def test_auth_settings_are_parsed_and_the_secret_stays_out_of_repr():
    settings = Settings.from_env({"SEEN_JWT_SECRET": SECRET, "SEEN_RATE_SEARCH_USER": "5/10",
                                  "SEEN_ADMIN_EMAIL": " Root@Example.COM ", "SEEN_COOKIE_SECURE": "true"})
    assert settings.auth.search_per_user == RateLimit(5, 10)
    assert settings.auth.admin_email == "root@example.com"
    assert settings.auth.cookie_secure is True
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(
    ("password", "problem"),
    [("short", "at least 10"), ("x" * 257, "at most 256"), ("Me@Example.com", "e-mail")],
)
def test_password_policy(password, problem):
    with pytest.raises(WeakPassword) as caught:
        passwords.check_policy(password, "me@example.com")
    assert problem in caught.value.fields["password"]
    passwords.check_policy("x" * 10, "me@example.com")
    passwords.check_policy("x" * 256, "me@example.com")


def test_verify_accepts_the_password_only_and_a_missing_hash_never_matches():
    stored = passwords.hash_password("a good long password")
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, "a good long password")
    assert not passwords.verify(stored, "a good long passwore")
    assert not passwords.verify(None, "a good long password")
    assert not passwords.verify("not-a-hash", "a good long password")


def test_access_tokens_round_trip_and_expire_by_the_app_clock(clock):
    user_id, session_id = uuid.uuid4(), uuid.uuid4()
    issued_at = datetime(2030, 1, 1, tzinfo=UTC)
    token = tokens.issue_access(user_id, "user", session_id, issued_at)
    clock.current = issued_at + timedelta(minutes=14, seconds=59)
    claims = tokens.decode_access(token)
    assert (claims.user_id, claims.session_id, claims.role) == (user_id, session_id, "user")
    clock.advance(seconds=1)
    with pytest.raises(TokenExpired):
        tokens.decode_access(token)


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_tokens_signed_otherwise_are_invalid():
    claims = {"sub": str(uuid.uuid4()), "sid": str(uuid.uuid4()), "role": "admin", "typ": "access",
              "iat": 0, "exp": 2**40}
    secret = get_settings().auth.jwt_secret
    assert tokens.decode_access(jwt.encode(claims, secret, algorithm="HS256")).role == "admin"
    for token in (jwt.encode(claims, "k" * 40, algorithm="HS256"),
                  jwt.encode(claims, secret, algorithm="HS512"),
                  jwt.encode(claims, None, algorithm="none")):
        with pytest.raises(InvalidToken):
            tokens.decode_access(token)


def test_refresh_tokens_are_random_and_hashed_with_sha256():
    first, digest = tokens.new_refresh_token()
    second, _ = tokens.new_refresh_token()
    assert first != second and len(first) >= 43
    assert len(digest) == 32 and tokens.hash_refresh(first) == digest


def request_with(headers: dict[str, str]):
    return SimpleNamespace(headers={k.lower(): v for k, v in headers.items()})


def test_csrf_needs_a_cookie_and_an_equal_header():
    ok = request_with({"Cookie": "seen_csrf=abc; seen_refresh=r", "X-CSRF-Token": "abc"})
    cookies.require_csrf(ok)
    for headers in ({"Cookie": "seen_csrf=abc", "X-CSRF-Token": "abd"}, {"Cookie": "seen_csrf=abc"},
                    {"X-CSRF-Token": "abc"}, {"Cookie": "seen_csrf=", "X-CSRF-Token": ""},
                    {"Cookie": 'seen_csrf="unterminated', "X-CSRF-Token": "abc"}):
        with pytest.raises(CsrfFailed):
            cookies.require_csrf(request_with(headers))


def test_cookie_attributes_follow_the_secure_setting(settings_env):
    plain = cookies.session_cookies("r", "c")
    assert plain[0] == "seen_refresh=r; Path=/api/v1/auth; Max-Age=2592000; SameSite=Strict; HttpOnly"
    assert plain[1] == "seen_csrf=c; Path=/; Max-Age=2592000; SameSite=Strict"
    settings_env(SEEN_COOKIE_SECURE="true")
    assert all(value.endswith("; Secure") for value in cookies.session_cookies("r", "c"))
    assert all("Max-Age=0" in value for value in cookies.cleared_cookies())
