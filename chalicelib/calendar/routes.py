"""Release calendar routes: the calendar, the secret iCal feed and its token."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib import api
from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.calendar import service
from chalicelib.calendar.models import CalendarOut, CalendarQuery, FeedQuery, FeedTokenOut
from chalicelib.contentrating import limit_of

bp = Blueprint(__name__)
V1 = "/api/v1"
TAGS = ("calendar",)


@endpoint(bp, f"{V1}/calendar", summary="Releases and episodes in a range (from/to, or month=YYYY-MM; at most "
          "a year), with filters", tags=TAGS, query=CalendarQuery, response=CalendarOut, auth="user",
          errors_=(422,))
def get_calendar(principal: Principal, query: CalendarQuery) -> CalendarOut:
    return service.calendar(principal.user_id, query, limit_of(principal))


@endpoint(bp, f"{V1}/calendar.ics", summary="Your calendar as an iCal feed (the secret token is the "
          "credential; no Authorization header)", tags=TAGS, query=FeedQuery, errors_=(404, 422))
def get_feed(query: FeedQuery) -> Response:
    body = service.feed(query.token, query)
    return Response(body=body.decode("utf-8"), status_code=200, headers={
        "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": 'inline; filename="seen.ics"'})


@endpoint(bp, f"{V1}/calendar/token", "POST", summary="Create or rotate your iCal feed token (the old feed URL "
          "stops working); the token is shown only in this answer", tags=TAGS, response=FeedTokenOut, status=201,
          auth="user")
def rotate_token(principal: Principal) -> FeedTokenOut:
    return service.rotate_token(principal.user_id, api.public_base_url())
