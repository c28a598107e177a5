"""Stream tokens: what the API signs, the worker accepts; anything bent or late it refuses."""

from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib import streamtoken

SECRET = "unit-test-stream-secret-0123456789abcdef"
JOB = "6f1c2a9e-0000-4000-8000-000000000001"


def _parts(url: str) -> tuple[str, str, str]:
    split = urlsplit(url)
    query = parse_qs(split.query)
    return split.path, query["exp"][0], query["sig"][0]


def test_minted_url_names_job_and_file_and_verifies():
    path, exp, sig = _parts(streamtoken.url(SECRET, "", JOB, 3, ttl=60, now=1000))
    assert path == f"/stream/{JOB}/3"
    assert exp == "1060"
    streamtoken.verify(SECRET, JOB, 3, exp, sig, now=1059)


def test_public_base_prefixes_the_path():
    assert streamtoken.url(SECRET, "https://home.example", JOB, 0, ttl=60).startswith(
        f"https://home.example/stream/{JOB}/0?")


@pytest.mark.parametrize("change", ["job", "file", "expiry", "secret", "signature"])
def test_a_bent_url_is_refused(change):
    _, exp, sig = _parts(streamtoken.url(SECRET, "", JOB, 3, ttl=60, now=1000))
    job, index, secret = JOB, 3, SECRET
    if change == "job":
        job = JOB[:-1] + "2"
    elif change == "file":
        index = 4
    elif change == "expiry":
        exp = str(int(exp) + 3600)
    elif change == "secret":
        secret = SECRET + "x"
    else:
        sig = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    with pytest.raises(streamtoken.InvalidToken):
        streamtoken.verify(secret, job, index, exp, sig, now=1000)


def test_an_expired_url_is_refused_even_with_its_own_signature():
    _, exp, sig = _parts(streamtoken.url(SECRET, "", JOB, 3, ttl=60, now=1000))
    with pytest.raises(streamtoken.InvalidToken, match="expired"):
        streamtoken.verify(SECRET, JOB, 3, exp, sig, now=1061)


@pytest.mark.parametrize("expiry", ["", "soon", None, "1e9"])
def test_a_malformed_expiry_is_refused(expiry):
    with pytest.raises(streamtoken.InvalidToken):
        streamtoken.verify(SECRET, JOB, 3, expiry, "00", now=0)
