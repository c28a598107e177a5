"""/api/v1/playback/sessions (what plays, heartbeats, the switch away from a stalled torrent) and /api/v1/resume."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib import ratelimit
from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.config import RateLimit
from chalicelib.playback import sessions
from chalicelib.playback.models import Heartbeat, PlaybackSession, Resume, ResumeQuery, SessionRequest

bp = Blueprint(__name__)
TAGS = ("playback",)
HEARTBEATS = RateLimit(240, 60)  # per user: a heartbeat every 2 s while buffering is 30 a minute per player
# Per user: a play, a next episode or a switch of device opens a session; 30 a minute is far past zapping, and
# a client looping on it (200 in 2.3 s were all accepted) is refused before it writes a row or picks a release.
SESSION_STARTS = RateLimit(30, 60)


@endpoint(bp, "/api/v1/playback/sessions", "POST", summary=(
    "Start playing a title: the library file or download named, else the title's library file, else the best "
    "release for the device (picked, its download started); answers the session, its pick and stream URL"),
    tags=TAGS, body=SessionRequest, response=PlaybackSession, status=201, auth="user",
    errors_=(400, 401, 403, 404, 413, 422, 429, 502, 503))
def create_session(body: SessionRequest, principal: Principal) -> PlaybackSession:
    ratelimit.per_user("playback_session_starts", principal.user_id, SESSION_STARTS)
    return sessions.start(principal.user_id, body, principal)


@endpoint(bp, "/api/v1/playback/sessions/{session_id}", summary="A playback session: its pick, file and switches",
          tags=TAGS, response=PlaybackSession, auth="user", errors_=(401, 404))
def get_session(session_id: str, principal: Principal) -> PlaybackSession:
    return sessions.get(principal.user_id, session_id, principal)


@endpoint(bp, "/api/v1/playback/sessions/{session_id}/heartbeat", "POST", summary=(
    "The player's position and buffer state; a download's stream stalled at one spot longer than the user's "
    "stallSwitchSeconds switches the session to the next release (the answer's streamUrl and switches say so)"),
    tags=TAGS, body=Heartbeat, response=PlaybackSession, auth="user", errors_=(400, 401, 404, 413, 422, 429))
def session_heartbeat(session_id: str, body: Heartbeat, principal: Principal) -> PlaybackSession:
    ratelimit.per_user("playback_heartbeats", principal.user_id, HEARTBEATS)
    return sessions.heartbeat(principal.user_id, session_id, body, principal)


@endpoint(bp, "/api/v1/resume", summary=(
    "Where you left a title: the season, episode, position, pick and file of its last playback session "
    "(404 nothing_to_resume when none)"), tags=TAGS, query=ResumeQuery, response=Resume, auth="user",
    errors_=(400, 401, 404, 422))
def get_resume(query: ResumeQuery, principal: Principal) -> Resume:
    return sessions.resume(principal.user_id, query.media_id, principal)
