"""/api/v1/picks (get a release, with its audit trail) and /api/v1/wanted (the wanted list, monitoring)."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.api import endpoint, to_response
from chalicelib.auth.users import Principal
from chalicelib.picks import service, wanted
from chalicelib.picks.models import (
    Monitor,
    MonitorRequest,
    PickCreated,
    PickHistory,
    PickRequest,
    Unit,
    UnitQuery,
    WantedAdded,
    WantedPage,
    WantedQuery,
)

bp = Blueprint(__name__)
PICKS, WANTED = ("picks",), ("wanted",)


# POST /picks and POST /wanted answer 201 when they made something (a pick and its job, wanted units) and
# 200 when all of it was there already (reused: true, added: 0): a re-add is idempotent and says so.
@endpoint(bp, "/api/v1/picks", "POST", summary=(
    "Get a movie, season or episode: pick the best candidate (or the one named by infohash) and start its "
    "download; the current pick is returned again (reused, no new job) unless another infohash overrides it"),
    tags=PICKS, body=PickRequest, response=PickCreated, status=201, also_ok=(200,), auth="adult",
    errors_=(400, 401, 404, 413, 422, 429, 502, 503))
def create_pick(body: PickRequest, principal: Principal) -> Response:
    result = service.pick(principal.user_id, body.media_id, body.season, body.episode, body.infohash,
                          device=body.device_caps)
    return to_response(result, 200 if result["reused"] else 201)


@endpoint(bp, "/api/v1/picks", summary="The current pick of a movie, season or episode and its audit trail",
          tags=PICKS, query=UnitQuery, response=PickHistory, auth="adult", errors_=(400, 401, 422))
def list_picks(query: UnitQuery, principal: Principal) -> PickHistory:
    return service.picks_for(principal.user_id, query.media_id, query.season, query.episode)


@endpoint(bp, "/api/v1/wanted", summary="The wanted list, grouped show -> season -> episode with roll-ups",
          tags=WANTED, query=WantedQuery, response=WantedPage, auth="adult", errors_=(400, 401, 422))
def list_wanted(query: WantedQuery, principal: Principal) -> WantedPage:
    return wanted.list_wanted(principal.user_id, query.q, query.page, query.page_size)


@endpoint(bp, "/api/v1/wanted", "POST", summary=(
    "Want a movie, an episode, a season or a show (aired episodes; later ones join as they air); "
    "idempotent: added counts the new units (0 when all of it was already wanted)"),
    tags=WANTED, body=Unit, response=WantedAdded, status=201, also_ok=(200,), auth="adult",
    errors_=(400, 401, 404, 413, 422))
def add_wanted(body: Unit, principal: Principal) -> Response:
    added, created = wanted.add(principal.user_id, body.media_id, body.season, body.episode)
    return to_response(added, 201 if created else 200)


@endpoint(bp, "/api/v1/wanted/{wanted_id}", "DELETE", summary="Stop wanting one movie or episode",
          tags=WANTED, status=204, auth="adult", errors_=(401, 404))
def remove_wanted(wanted_id: str, principal: Principal) -> None:
    wanted.remove(principal.user_id, wanted_id)


@endpoint(bp, "/api/v1/wanted/monitor/{media_id}", "PUT", summary=(
    "Get new episodes of a show automatically (autoGet) with an optional resolution cutoff; monitors "
    "the show (its new episodes join the wanted list as they air)"),
    tags=WANTED, body=MonitorRequest, response=Monitor, auth="adult", errors_=(400, 401, 404, 413, 422))
def set_monitor(media_id: str, body: MonitorRequest, principal: Principal) -> Monitor:
    return wanted.set_monitor(principal.user_id, wanted.media_id(media_id), body)


@endpoint(bp, "/api/v1/wanted/monitor/{media_id}", "DELETE", summary=(
    "Stop monitoring a show: its new episodes no longer join the wanted list"),
    tags=WANTED, status=204, auth="adult", errors_=(401, 404))
def remove_monitor(media_id: str, principal: Principal) -> None:
    wanted.unmonitor(principal.user_id, wanted.media_id(media_id))
