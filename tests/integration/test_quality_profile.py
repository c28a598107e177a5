"""The quality profile in GET/PATCH /api/v1/settings (field qualityProfile) and settings.profile.for_user."""

from __future__ import annotations

import pytest

from chalicelib.settings import profile as quality
from tests.integration.tracking_support import Api

USER = "/api/v1/settings"


@pytest.fixture
def me(client, make_user):
    user_id, headers = make_user()
    api = Api(client, headers)
    api.user_id = user_id
    return api


def stored(user_id):
    from chalicelib import db

    with db.connection() as conn:
        row = conn.execute("SELECT quality_profile FROM user_preferences WHERE user_id = %s", (user_id,)).fetchone()
    return None if row is None else row["quality_profile"]


def for_user(user_id):
    from chalicelib import db

    with db.connection() as conn:
        return quality.for_user(conn, user_id)


def test_a_new_user_gets_the_default_profile(me):
    status, data = me("GET", USER)
    assert status == 200
    assert data["qualityProfile"] == quality.DEFAULT_PROFILE.model_dump(mode="json", by_alias=True)
    assert data["qualityProfile"]["maxResolution"] == 1080 and data["qualityProfile"]["allowHdr"] is False
    assert for_user(me.user_id) == quality.DEFAULT_PROFILE


def test_a_partial_patch_is_merged_and_stored_as_overrides_only(me):
    status, data = me("PATCH", USER, {"qualityProfile": {"maxResolution": 2160, "allowHdr": True,
                                                         "sizeBands": {"720": {"min": 3, "max": 30}}}})
    assert status == 200, data
    profile = data["qualityProfile"]
    assert (profile["maxResolution"], profile["allowHdr"], profile["preferredResolution"]) == (2160, True, 1080)
    assert profile["sizeBands"]["720"] == {"min": 3.0, "max": 30.0}
    assert profile["sizeBands"]["1080"] == {"min": 8.0, "max": 80.0}  # the other bands keep their defaults
    patch = {"minSeeders": 5, "sizeBands": {"1080": {"min": 5, "max": 60}}}
    status, data = me("PATCH", USER, {"qualityProfile": patch})
    assert status == 200, data
    profile = data["qualityProfile"]
    assert (profile["maxResolution"], profile["minSeeders"]) == (2160, 5)  # earlier changes stay
    assert profile["sizeBands"]["720"] == {"min": 3.0, "max": 30.0}
    assert me("GET", USER)[1] == data
    assert stored(me.user_id) == {"max_resolution": 2160, "allow_hdr": True, "min_seeders": 5, "size_bands": {
        "720": {"min": 3.0, "max": 30.0}, "1080": {"min": 5.0, "max": 60.0}}}
    profile = for_user(me.user_id)
    assert (profile.max_resolution, profile.min_seeders, profile.size_bands[1080].max) == (2160, 5, 60.0)
    assert quality.profile_hash(profile) != quality.profile_hash(quality.DEFAULT_PROFILE)


def test_other_settings_leave_the_profile_alone_and_null_resets_it(me):
    me("PATCH", USER, {"qualityProfile": {"playableCodecs": ["h264", "h265"]}})
    status, data = me("PATCH", USER, {"theme": "light"})
    assert status == 200 and data["qualityProfile"]["playableCodecs"] == ["h264", "h265"]
    status, data = me("PATCH", USER, {"qualityProfile": None})
    assert status == 200 and data["theme"] == "light"
    assert data["qualityProfile"] == quality.DEFAULT_PROFILE.model_dump(mode="json", by_alias=True)
    assert stored(me.user_id) is None and for_user(me.user_id) == quality.DEFAULT_PROFILE


@pytest.mark.parametrize(("body", "field"), [
    ({"maxResolution": 1440}, "qualityProfile.maxResolution"),
    ({"maxResolution": "1080"}, "qualityProfile.maxResolution"),
    ({"minSeeders": 0}, "qualityProfile.minSeeders"),
    ({"allowHdr": "yes"}, "qualityProfile.allowHdr"),
    ({"playableCodecs": ["h264", "realmedia"]}, "qualityProfile.playableCodecs.1"),
    ({"sizeBands": {"1080": {"min": 90, "max": 80}}}, "qualityProfile.sizeBands.1080"),
    ({"sizeBands": {"1080": {"min": -1, "max": 80}}}, "qualityProfile.sizeBands.1080.min"),
    ({"sizeBands": {"1440": {"min": 5, "max": 80}}}, "qualityProfile.sizeBands"),
    ({"colour": "red"}, "qualityProfile.colour"),
])
def test_an_invalid_profile_field_is_422_and_changes_nothing(me, body, field):
    me("PATCH", USER, {"qualityProfile": {"minSeeders": 3}})
    before = me("GET", USER)[1]
    status, data = me("PATCH", USER, {"theme": "light", "qualityProfile": body})
    assert status == 422 and data["error"]["code"] == "validation_error", data
    assert any(key.startswith(field) for key in data["error"]["fields"]), data["error"]["fields"]
    assert me("GET", USER)[1] == before


@pytest.mark.parametrize("body", [
    {"preferredResolution": 2160},  # above the (default) maximum once merged
    {"maxResolution": 720},  # below the (default) preferred and cutoff 1080p once merged
    {"excludedCodecs": ["h264"]},  # h264 is playable by default
])
def test_a_patch_that_contradicts_the_rest_of_the_profile_is_422(me, body):
    status, data = me("PATCH", USER, {"qualityProfile": body})
    assert status == 422 and data["error"]["code"] == "validation_error", data
    assert "qualityProfile" in data["error"]["fields"]
    assert stored(me.user_id) is None


def test_a_stored_profile_that_no_longer_validates_reads_as_the_default(me):
    from chalicelib import db

    me("PATCH", USER, {"theme": "light"})
    with db.connection() as conn:
        conn.execute("UPDATE user_preferences SET quality_profile = '{\"max_resolution\": 99}' WHERE user_id = %s",
                     (me.user_id,))
    assert for_user(me.user_id) == quality.DEFAULT_PROFILE
    assert me("GET", USER)[1]["qualityProfile"]["maxResolution"] == 1080
