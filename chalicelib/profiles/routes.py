"""/api/v1/me/profiles: the household's profiles, and which one this session acts as.

Listing and selecting are open to every profile of the account (a kid picks a profile too); creating,
changing and deleting need an adult profile (403 ``not_for_kids``).
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api import endpoint
from chalicelib.auth.models import SessionOut
from chalicelib.auth.responses import session_response
from chalicelib.auth.users import Principal
from chalicelib.profiles import service
from chalicelib.profiles.models import ProfileIn, ProfileList, ProfileOut, ProfilePatch, SelectIn
from chalicelib.profiles.queries import ProfileRow

bp = Blueprint(__name__)
TAGS = ("profiles",)
PROFILES = "/api/v1/me/profiles"
ONE = f"{PROFILES}/{{profile_id}}"


def _out(row: ProfileRow) -> ProfileOut:
    return ProfileOut.model_validate({**row, "has_pin": row["pin_hash"] is not None,
                                      "is_owner": row["id"] == row["account_id"]})


@endpoint(bp, PROFILES, summary="The household's profiles and the one this session acts as", tags=TAGS,
          response=ProfileList, auth="user")
def list_profiles(principal: Principal) -> ProfileList:
    return ProfileList(items=[_out(row) for row in service.list_profiles(principal)], current_id=principal.user_id)


@endpoint(bp, PROFILES, "POST", summary="Add a profile (at most 6 per account)", tags=TAGS, body=ProfileIn,
          response=ProfileOut, status=201, auth="adult", errors_=(409, 422))
def create_profile(principal: Principal, body: ProfileIn) -> ProfileOut:
    return _out(service.create(principal, body))


@endpoint(bp, ONE, "PATCH", summary="Change a profile (pin: null clears its PIN)", tags=TAGS, body=ProfilePatch,
          response=ProfileOut, auth="adult", errors_=(404, 409, 422))
def update_profile(profile_id: str, principal: Principal, body: ProfilePatch) -> ProfileOut:
    return _out(service.update(principal, profile_id, body))


@endpoint(bp, ONE, "DELETE", summary="Delete a profile and everything it tracked (never the owner profile)",
          tags=TAGS, status=204, auth="adult", errors_=(404, 409))
def delete_profile(profile_id: str, principal: Principal) -> None:
    service.delete(principal, profile_id)


@endpoint(bp, f"{ONE}/select", "POST", summary="Act as this profile: a new access token for this session "
          "(body {} or {pin} when it has one; from a kid profile every adult profile asks a PIN; the next "
          "refresh keeps the profile)", tags=TAGS, body=SelectIn,
          response=SessionOut, auth="user", errors_=(403, 404, 429, 503))
def select_profile(profile_id: str, principal: Principal, body: SelectIn) -> Response:
    return session_response(service.select(principal, profile_id, body))
