"""Auth costs: login (argon2id verify) and require_user per request, as ratios to a bare
HMAC-SHA256 of the same token, plus the unknown-e-mail vs wrong-password login ratio.

Everything runs with the production argon2id parameters (the test suite itself
uses cheap ones), on the real Postgres and Redis.
"""

import hashlib
import hmac
import json
import time

import pytest

from tests.bench.conftest import benchmark_stats, measure, summarise

PASSWORD = "correct horse battery staple"


@pytest.fixture
def production_argon2(settings_env):
    from chalicelib.config import AuthSettings

    defaults = AuthSettings()
    settings_env(SEEN_ARGON2_TIME_COST=str(defaults.argon2_time_cost),
                 SEEN_ARGON2_MEMORY_KIB=str(defaults.argon2_memory_kib),
                 SEEN_ARGON2_PARALLELISM=str(defaults.argon2_parallelism),
                 SEEN_RATE_LOGIN_IP="100000/60", SEEN_RATE_LOGIN_EMAIL="100000/60",
                 SEEN_RATE_LOGIN_ACCOUNT_IP="100000/60")
    return defaults


@pytest.fixture
def session(client, production_argon2):
    response = client.http.post("/api/v1/auth/register", body=json.dumps({"email": "bench@example.com",
                                                                          "password": PASSWORD}),
                                headers={"Content-Type": "application/json"})
    assert response.status_code == 201
    return json.loads(response.body)


def bare_hmac(token: str):
    from chalicelib.config import get_settings

    key = get_settings().auth.jwt_secret.encode()
    return lambda: hmac.new(key, token.encode(), hashlib.sha256).digest()


def test_login_argon2id_verify_ratio(benchmark, report, session, production_argon2):
    from chalicelib.auth import passwords

    stored = passwords.hash_password(PASSWORD)
    assert passwords.verify(stored, PASSWORD) and not passwords.verify(stored, "not the password")
    benchmark.pedantic(lambda: passwords.verify(stored, PASSWORD), rounds=10, warmup_rounds=1)
    hash_time = measure(lambda: passwords.hash_password(PASSWORD), rounds=5, warmup=1)
    params = (f"t={production_argon2.argon2_time_cost}, m={production_argon2.argon2_memory_kib // 1024} MiB, "
              f"p={production_argon2.argon2_parallelism}")
    ratio = report.ratio("login: argon2id verify", benchmark_stats(benchmark),
                         measure(bare_hmac(session["accessToken"]), rounds=2000),
                         subject_label=f"argon2id verify ({params})", reference_label="HMAC-SHA256 of the token")
    report.figure("argon2id hash time", parameters=params, median_ms=round(hash_time["median"] * 1000, 1),
                  p95_ms=round(hash_time["p95"] * 1000, 1))
    benchmark.extra_info["ratio"] = ratio


def test_require_user_per_request_ratio(benchmark, report, session):
    from chalicelib.auth import guards, tokens

    token = session["accessToken"]
    assert guards.principal_for(token).session_id == tokens.decode_access(token).session_id
    benchmark.pedantic(lambda: guards.principal_for(token), rounds=500, warmup_rounds=20)
    jwt_only = measure(lambda: tokens.decode_access(token), rounds=2000)
    reference = measure(bare_hmac(token), rounds=2000)
    ratio = report.ratio("require_user: JWT verify + session row", benchmark_stats(benchmark), reference,
                         subject_label="decode_access + sessions/users primary-key read",
                         reference_label="HMAC-SHA256 of the token")
    report.ratio("require_user: JWT verify alone", jwt_only, reference,
                 subject_label="pyjwt HS256 decode + claim checks", reference_label="HMAC-SHA256 of the token")
    benchmark.extra_info["ratio"] = ratio


def test_login_unknown_email_vs_wrong_password_ratio(benchmark, report, client, session):
    def attempt(email: str):
        body = json.dumps({"email": email, "password": "definitely wrong password"})
        return lambda: client.http.post("/api/v1/auth/login", body=body, headers={"Content-Type": "application/json"})

    paths = {"unknown": attempt("nobody@example.com"), "wrong": attempt("bench@example.com")}
    samples: dict[str, list[float]] = {"unknown": [], "wrong": []}
    for call in paths.values():
        call()  # warm both paths (the dummy hash is built on first use)

    def both() -> None:  # interleaved, so load on the shared machine hits both alike
        for name, call in paths.items():
            started = time.perf_counter()
            response = call()
            samples[name].append(time.perf_counter() - started)
            assert response.status_code == 401  # refused, not throttled: a 429 would time the limiter

    benchmark.pedantic(both, rounds=20)
    ratio = report.ratio("login: unknown e-mail vs wrong password", summarise(samples["unknown"]),
                         summarise(samples["wrong"]), subject_label="POST /login, unknown e-mail",
                         reference_label="POST /login, wrong password")
    benchmark.extra_info["ratio"] = ratio
