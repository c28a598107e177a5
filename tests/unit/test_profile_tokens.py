"""Access tokens that act as a household profile, the cached acting profile, and the principal's roles."""

import uuid
from datetime import UTC, datetime

import jwt
import pytest

from chalicelib.auth import tokens
from chalicelib.auth.errors import InvalidToken
from chalicelib.auth.users import ActingProfile, Principal
from chalicelib.config import get_settings
from chalicelib.contentrating import DEFAULT_KID_MAX_AGE, Limit


def _claims(**extra):
    return {"sub": str(uuid.uuid4()), "sid": str(uuid.uuid4()), "role": "user", "typ": "access", "iat": 0,
            "exp": 2**40, **extra}


def test_an_access_token_carries_the_profile_it_acts_as(clock):
    user_id, session_id, profile_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    clock.current = datetime(2030, 1, 1, tzinfo=UTC)
    claims = tokens.decode_access(tokens.issue_access(user_id, "user", session_id, clock.current, profile_id))
    assert (claims.user_id, claims.session_id, claims.profile_id) == (user_id, session_id, profile_id)
    plain = tokens.issue_access(user_id, "user", session_id, clock.current)
    raw = jwt.decode(plain, options={"verify_signature": False})
    assert raw["pid"] == str(user_id)  # no profile named: the account's own


def test_a_token_from_before_profiles_acts_as_the_account_itself():
    claims = _claims()
    parsed = tokens.decode_access(jwt.encode(claims, get_settings().auth.jwt_secret, algorithm="HS256"))
    assert parsed.profile_id == parsed.user_id == uuid.UUID(claims["sub"])


@pytest.mark.parametrize("pid", ["not-a-uuid", 42, None, ["x"]])
def test_a_malformed_profile_claim_makes_the_token_invalid(pid):
    token = jwt.encode(_claims(pid=pid), get_settings().auth.jwt_secret, algorithm="HS256")
    with pytest.raises(InvalidToken):
        tokens.decode_access(token)


def test_the_acting_profile_survives_the_cache_encoding():
    collections = (uuid.uuid4(), uuid.uuid4())
    for acting in (ActingProfile(uuid.uuid4()),
                   ActingProfile(uuid.uuid4(), "kid", Limit(12, collections)),
                   ActingProfile(uuid.uuid4(), "kid", Limit(0))):
        text = acting.encode()
        assert " " not in text
        assert ActingProfile.decode(text) == acting


# Fixed ids: xdist workers must collect the same test names.
PROFILE = "0b9d2c4e-6f1a-4c3e-9a57-3f2d8e1b7c60"


@pytest.mark.parametrize("text", ["", "user 123.0", "x|adult||", f"{PROFILE}|teen||", f"{PROFILE}|kid|x|",
                                  f"{PROFILE}|kid|7|nope"])
def test_a_cache_value_that_is_not_an_acting_profile_decodes_to_none(text):
    assert ActingProfile.decode(text) is None


def test_stored_profile_columns_become_a_limit_only_for_kids():
    pid = uuid.uuid4()
    assert ActingProfile.of(pid, None, None, None) == ActingProfile(pid, "adult", None)
    assert ActingProfile.of(pid, "adult", None, []).limit is None
    assert ActingProfile.of(pid, "kid", "PG-13", []).limit == Limit(13, ())
    assert ActingProfile.of(pid, "kid", None, []).limit == Limit(DEFAULT_KID_MAX_AGE, ())
    # a stored label the tables no longer know still limits: the strict default, never nothing
    assert ActingProfile.of(pid, "kid", "ZZ-99", []).limit == Limit(DEFAULT_KID_MAX_AGE, ())


def test_an_admin_account_is_admin_only_from_its_owner_profile():
    account, other = uuid.uuid4(), uuid.uuid4()
    owner = Principal(user_id=account, role="admin", session_id=uuid.uuid4(), account_id=account)
    second = Principal(user_id=other, role="admin", session_id=uuid.uuid4(), account_id=account)
    assert owner.is_admin and owner.is_owner
    assert not second.is_admin and not second.is_owner
    kid = Principal(user_id=other, role="user", session_id=uuid.uuid4(), account_id=account, profile_kind="kid",
                    limit=Limit(7))
    assert kid.is_kid and not owner.is_kid
