"""/api/v1 people routes: person pages and follows of people. Thin: validate, call, return."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.contentrating import limit_of
from chalicelib.people import service
from chalicelib.people.models import PersonDetail, PersonFollow

bp = Blueprint(__name__)
V1 = "/api/v1"


@endpoint(bp, f"{V1}/people/{{person_id}}", summary="A person: biography, known for, filmography (what you saw), "
          "whether you follow them", tags=("people",), response=PersonDetail, auth="user", errors_=(404,))
def person_detail(person_id: str, principal: Principal) -> PersonDetail:
    return service.person(person_id, principal.user_id, limit_of(principal))


@endpoint(bp, f"{V1}/follows/people/{{person_id}}", "PUT", summary="Follow a person (again: no change): their "
          "titles join your calendar and dashboard", tags=("follows",), response=PersonFollow, auth="user",
          errors_=(404,))
def follow_person(person_id: str, principal: Principal) -> PersonFollow:
    return service.follow(principal.user_id, person_id)


@endpoint(bp, f"{V1}/follows/people/{{person_id}}", "DELETE", summary="Unfollow a person (404 when not followed)",
          tags=("follows",), status=204, auth="user", errors_=(404,))
def unfollow_person(person_id: str, principal: Principal) -> None:
    service.unfollow(principal.user_id, person_id)
