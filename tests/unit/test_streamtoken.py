"""Stream tokens: what the API signs, the worker accepts; anything bent or late it refuses."""

import time
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


USER = "0b5e6f8c-1111-4000-8000-000000000009"


def test_a_users_url_carries_a_signed_opaque_tag_of_the_user():
    url = streamtoken.url(SECRET, "", JOB, 3, ttl=60, now=1000, user_id=USER)
    query = parse_qs(urlsplit(url).query)
    tag = query["u"][0]
    assert tag == streamtoken.user_tag(SECRET, USER) and USER not in url and len(tag) == 16
    assert streamtoken.user_tag(SECRET, USER) != streamtoken.user_tag(SECRET, USER[:-1] + "8")
    streamtoken.verify(SECRET, JOB, 3, query["exp"][0], query["sig"][0], now=1000, user=tag)


@pytest.mark.parametrize("user", ["", "0" * 16, "a" * 17])
def test_a_users_url_with_its_tag_removed_or_swapped_is_refused(user):
    """Dropping ``u`` would escape the per-user cap; swapping it would charge someone else."""
    _, exp, sig = _parts(streamtoken.url(SECRET, "", JOB, 3, ttl=60, now=1000, user_id=USER))
    with pytest.raises(streamtoken.InvalidToken):
        streamtoken.verify(SECRET, JOB, 3, exp, sig, now=1000, user=user)


def test_an_untagged_url_still_verifies_and_cannot_gain_a_tag():
    """URLs minted before the user claim (and HLS variant tokens) keep working as they were."""
    _, exp, sig = _parts(streamtoken.url(SECRET, "", JOB, 3, ttl=60, now=1000))
    streamtoken.verify(SECRET, JOB, 3, exp, sig, now=1000)
    with pytest.raises(streamtoken.InvalidToken):
        streamtoken.verify(SECRET, JOB, 3, exp, sig, now=1000, user=streamtoken.user_tag(SECRET, USER))


def test_an_expiry_of_thousands_of_digits_is_an_invalid_token_not_an_error():
    with pytest.raises(streamtoken.InvalidToken):
        streamtoken.verify(SECRET, JOB, 3, "9" * 5000, "00", now=0)


def test_a_playlist_or_preview_token_never_verifies_as_a_stream_token_or_each_other():
    """Same secret, same id, index and expiry: each purpose signs its own layout (issue 58)."""
    expires = int(time.time()) + 600
    item = "0f4c1a5e-3d0e-4c86-9f3b-6d9c1c2b7a10"
    signed = {purpose: streamtoken.sign(SECRET, item, 1001, expires, purpose=purpose)
              for purpose in ("", *streamtoken.PURPOSES)}
    assert len(set(signed.values())) == len(signed)
    for made_for, signature in signed.items():
        for checked_as in signed:
            if checked_as == made_for:
                streamtoken.verify(SECRET, item, 1001, expires, signature, purpose=checked_as)
            else:
                with pytest.raises(streamtoken.InvalidToken):
                    streamtoken.verify(SECRET, item, 1001, expires, signature, purpose=checked_as)
    with pytest.raises(ValueError):
        streamtoken.sign(SECRET, item, 1001, expires, purpose="anything")
