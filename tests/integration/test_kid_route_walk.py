"""The route table, walked as a kid (issue 58): every route a kid profile may call that takes a title, a library
file, a session or a stream is refused for a title out of the kid's reach, by the same call that a grown-up
profile makes with success. A new route that takes a title and is not listed here fails the walk.

The kid is the household's second profile, "Sam": it was a grown-up when it played, rated, listed and dismissed
an R film, and it is then turned into a PG kid. Everything it did as a grown-up must be out of its reach now
(a profile just turned into a kid is the hardest case), and no probe may change one of its rows of the film.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from chalicelib import api, db, routetable
from tests.conftest import TEST_PASSWORD
from tests.integration.picks_support import index_files, use_sources
from tests.integration.tracking_support import Api, Catalog

SESSIONS = "/api/v1/playback/sessions"
CAPS = {"video": ["h264"], "audio": ["aac"], "hdr": False, "maxHeight": 1080}
# The names by which a route's path, query or body carries a title, a file, a session or a stream.
MEDIA_PARAMETERS = {"media_id", "movie_id", "show_id", "game_id", "item_id", "session_id", "library_item_id"}


@dataclass
class Ids:
    """What one profile holds of the R film: the film, its library file, a subtitle track, a session of it."""

    film: int
    file: str
    track: str
    session: str = ""
    collection: str = ""


Probe = Callable[[Ids], tuple[str, str, Any]]

# Every route a kid may call that reaches a title, with a call a grown-up makes with success (in this order:
# what a later call removes, an earlier one made).
PROBES: dict[tuple[str, str], Probe] = {
    ("GET", "/api/v1/movies/{movie_id}"): lambda i: ("GET", f"/api/v1/movies/{i.film}", None),
    ("GET", "/api/v1/me/titles/{media_id}"): lambda i: ("GET", f"/api/v1/me/titles/{i.film}", None),
    ("GET", "/api/v1/library/versions"): lambda i: ("GET", f"/api/v1/library/versions?mediaId={i.film}", None),
    ("GET", "/api/v1/library/{item_id}"): lambda i: ("GET", f"/api/v1/library/{i.file}", None),
    ("GET", "/api/v1/library/{item_id}/stream"): lambda i: ("GET", f"/api/v1/library/{i.file}/stream", None),
    ("PUT", "/api/v1/library/{item_id}/subtitles/{track_id}/offset"):
        lambda i: ("PUT", f"/api/v1/library/{i.file}/subtitles/{i.track}/offset", {"seconds": 1.5}),
    ("POST", "/api/v1/library/{item_id}/subtitles/{track_id}/sync"):
        lambda i: ("POST", f"/api/v1/library/{i.file}/subtitles/{i.track}/sync", None),
    ("POST", SESSIONS): lambda i: ("POST", SESSIONS, {"mediaId": i.film, "libraryItemId": i.file, "deviceCaps": CAPS}),
    ("GET", "/api/v1/playback/sessions/{session_id}"): lambda i: ("GET", f"{SESSIONS}/{i.session}", None),
    ("POST", "/api/v1/playback/sessions/{session_id}/heartbeat"):
        lambda i: ("POST", f"{SESSIONS}/{i.session}/heartbeat", {"positionSeconds": 90.0, "buffering": False}),
    ("GET", "/api/v1/resume"): lambda i: ("GET", f"/api/v1/resume?mediaId={i.film}", None),
    ("POST", "/api/v1/progress"):
        lambda i: ("POST", "/api/v1/progress", {"mediaId": i.film, "durationSeconds": 6000.0,
                                                "positionSeconds": 120.0}),
    ("GET", "/api/v1/progress"): lambda i: ("GET", f"/api/v1/progress?mediaId={i.film}", None),
    ("POST", "/api/v1/watched"): lambda i: ("POST", "/api/v1/watched", {"mediaId": i.film}),
    ("GET", "/api/v1/watched"): lambda i: ("GET", f"/api/v1/watched?mediaId={i.film}", None),
    ("DELETE", "/api/v1/watched"): lambda i: ("DELETE", f"/api/v1/watched?mediaId={i.film}", None),
    ("PUT", "/api/v1/ratings/{media_id}"): lambda i: ("PUT", f"/api/v1/ratings/{i.film}", {"rating": 8}),
    ("GET", "/api/v1/ratings/{media_id}"): lambda i: ("GET", f"/api/v1/ratings/{i.film}", None),
    ("DELETE", "/api/v1/ratings/{media_id}"): lambda i: ("DELETE", f"/api/v1/ratings/{i.film}", None),
    ("PUT", "/api/v1/favorites/{media_id}"): lambda i: ("PUT", f"/api/v1/favorites/{i.film}", None),
    ("DELETE", "/api/v1/favorites/{media_id}"): lambda i: ("DELETE", f"/api/v1/favorites/{i.film}", None),
    ("PUT", "/api/v1/watch-later/{media_id}"): lambda i: ("PUT", f"/api/v1/watch-later/{i.film}", None),
    ("DELETE", "/api/v1/watch-later/{media_id}"): lambda i: ("DELETE", f"/api/v1/watch-later/{i.film}", None),
    ("POST", "/api/v1/collections/{collection_id}/items"):
        lambda i: ("POST", f"/api/v1/collections/{i.collection}/items", {"mediaId": i.film}),
    ("DELETE", "/api/v1/collections/{collection_id}/items/{media_id}"):
        lambda i: ("DELETE", f"/api/v1/collections/{i.collection}/items/{i.film}", None),
    ("POST", "/api/v1/recommendations/{media_id}/dismiss"):
        lambda i: ("POST", f"/api/v1/recommendations/{i.film}/dismiss", None),
    ("POST", "/api/v1/engagement/clicks"):
        lambda i: ("POST", "/api/v1/engagement/clicks", {"sectionKey": "kid-walk", "mediaId": i.film}),
}

# Routes that take a title but cannot be called with success for this film (a show's or a game's id, a
# media server's item): the walk still calls them as the kid with the film's id, which must be refused.
KID_ONLY_PROBES: dict[tuple[str, str], Probe] = {
    ("GET", "/api/v1/shows/{show_id}"): lambda i: ("GET", f"/api/v1/shows/{i.film}", None),
    ("GET", "/api/v1/shows/{show_id}/seasons/{season_number}"):
        lambda i: ("GET", f"/api/v1/shows/{i.film}/seasons/1", None),
    ("GET", "/api/v1/shows/{show_id}/progress"): lambda i: ("GET", f"/api/v1/shows/{i.film}/progress", None),
    ("PUT", "/api/v1/follows/{media_id}"): lambda i: ("PUT", f"/api/v1/follows/{i.film}", {"state": "follow"}),
    ("DELETE", "/api/v1/follows/{media_id}"): lambda i: ("DELETE", f"/api/v1/follows/{i.film}", None),
    ("POST", "/api/v1/watched/bulk"): lambda i: ("POST", "/api/v1/watched/bulk", {"mediaId": i.film}),
    ("GET", "/api/v1/games/{game_id}"): lambda i: ("GET", f"/api/v1/games/{i.film}", None),
    ("GET", "/api/v1/games/backlog/{media_id}"): lambda i: ("GET", f"/api/v1/games/backlog/{i.film}", None),
    ("PUT", "/api/v1/games/backlog/{media_id}"):
        lambda i: ("PUT", f"/api/v1/games/backlog/{i.film}", {"status": "active"}),
    ("DELETE", "/api/v1/games/backlog/{media_id}"): lambda i: ("DELETE", f"/api/v1/games/backlog/{i.film}", None),
    ("GET", "/api/v1/media-servers/{server_id}/items/{item_id}/stream"):
        lambda i: ("GET", f"/api/v1/media-servers/{uuid.uuid4()}/items/{i.film}/stream", None),
}

# Routes a kid may call whose parameters name no title (or only reorder rows the kid already reached).
NO_TITLE = {
    ("PUT", "/api/v1/watch-later/order"): "reorders the kid's own list, whose titles it reached",
    ("PUT", "/api/v1/collections/{collection_id}/items/order"): "reorders a collection's reached titles",
    ("DELETE", "/api/v1/watched/{entry_id}"): "a history entry of the kid's own (its title was reached)",
}


# The kid's lists and pages that name titles: none may name the film once the kid cannot reach it.
LISTS = ["/api/v1/dashboard", "/api/v1/discover", "/api/v1/movies", "/api/v1/search?q=Heat",
         "/api/v1/search/suggest?q=Heat", "/api/v1/calendar", "/api/v1/recommendations", "/api/v1/library",
         "/api/v1/library/titles", "/api/v1/watch-later", "/api/v1/watched", "/api/v1/ratings", "/api/v1/favorites",
         "/api/v1/follows", "/api/v1/progress/continue-watching", "/api/v1/collections",
         "/api/v1/collections/{collection}/items", "/api/v1/notifications"]


def names_the_film(found: Any, film: int, title: str) -> bool:
    """Whether an answer holds the film: an object with its id as mediaId, or its title."""
    if isinstance(found, dict):
        if found.get("mediaId") == film or found.get("title") == title or found.get("name") == title:
            return True
        return any(names_the_film(value, film, title) for value in found.values())
    if isinstance(found, list):
        return any(names_the_film(value, film, title) for value in found)
    return False


def kid_routes() -> list[tuple[str, str, set[str]]]:
    """(method, path, the names of its parameters) of every route a kid profile may call."""
    routetable.collect()
    found = []
    for spec in api.ENDPOINTS:
        if spec.auth != "user" or spec.method == "OPTIONS":
            continue
        names = {part.strip("{}") for part in spec.path.split("/") if part.startswith("{")}
        for model in (spec.body, spec.query):
            if model is not None:
                names |= set(model.model_fields)
        found.append((spec.method, spec.path, names))
    return found


def test_every_kid_route_that_takes_a_title_is_walked():
    listed = {**PROBES, **KID_ONLY_PROBES}
    missing = [f"{method} {path}" for method, path, names in kid_routes()
               if names & MEDIA_PARAMETERS and (method, path) not in listed and (method, path) not in NO_TITLE]
    assert missing == [], f"routes a kid may call with a title's id, never walked as a kid: {missing}"
    stale = [key for key in [*listed, *NO_TITLE] if key not in {(m, p) for m, p, _ in kid_routes()}]
    assert stale == [], f"walked routes that are no longer a kid's: {stale}"


# ------------------------------------------------------------------------------------------ the walk


def sql(statement: str, *params: Any) -> list[dict[str, Any]]:
    with db.connection() as conn:
        cursor = conn.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else []


def held(profile_id: uuid.UUID, media_id: int) -> dict[str, int]:
    """How many rows of each table of the profile's own name the film (user_id and media_id columns)."""
    tables = sql("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
                 "AND column_name IN ('user_id', 'media_id') GROUP BY table_name HAVING count(*) = 2")
    counts = {}
    for row in tables:
        name = row["table_name"]
        [found] = sql(f'SELECT count(*) AS n FROM "{name}" WHERE user_id = %s AND media_id = %s',
                      profile_id, media_id)
        counts[name] = found["n"]
    return counts


def sign_in(client, email: str) -> Api:
    """A second session of the account (another device)."""
    response = client.http.post("/api/v1/auth/login", body=json.dumps({"email": email, "password": TEST_PASSWORD}),
                                headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.body
    token = json.loads(response.body)["accessToken"]
    return Api(client, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})


def act_as(api_: Api, profile_id: str, pin: str | None = None) -> Api:
    status, acting = api_("POST", f"/api/v1/me/profiles/{profile_id}/select", {"pin": pin} if pin else {})
    assert status == 200, acting
    return Api(api_.client, {"Authorization": f"Bearer {acting['accessToken']}", "Content-Type": "application/json"})


def holdings(api_: Api, base: Ids) -> Ids:
    """As a grown-up: a session of the film, and a collection to hold it."""
    status, session = api_("POST", SESSIONS, {"mediaId": base.film, "libraryItemId": base.file, "deviceCaps": CAPS})
    assert status == 201, session
    status, collection = api_("POST", "/api/v1/collections", {"name": f"Mine {uuid.uuid4().hex[:6]}"})
    assert status == 201, collection
    [track] = sql("INSERT INTO library_subtitles (library_item_id, language, storage_key, source, format) "
                  "VALUES (%s, 'en', %s, 'sidecar', 'srt') RETURNING id", uuid.UUID(base.file),
                  f"subtitles/heat.{collection['id']}.vtt")  # a track of its own: one sync per track at a time
    return Ids(base.film, base.file, str(track["id"]), session["sessionId"], collection["id"])


def probe_all(api_: Api, ids: Ids, probes: dict[tuple[str, str], Probe]) -> dict[str, tuple[int, Any]]:
    answers = {}
    for key, probe in probes.items():
        method, path, body = probe(ids)
        answers[f"{key[0]} {key[1]}"] = api_(method, path, body)
    return answers


def failed(answers: dict[str, tuple[int, Any]]) -> dict[str, str]:
    """The calls that answered an error: their status and error code."""
    return {path: f"{status} {body['error']['code'] if isinstance(body, dict) and 'error' in body else body}"
            for path, (status, body) in answers.items() if status >= 400}


def out_of_reach(status: int, body: Any) -> bool:
    """Refused, or answered as for a title the caller has nothing of (an empty page, no resume points)."""
    if status in (403, 404):
        return True
    if status == 422 and isinstance(body, dict):  # a body's title that does not exist, for the caller
        return body["error"].get("fields", {}).get("mediaId") == "not found"
    if status == 200 and isinstance(body, dict) and "items" in body:
        return body["items"] == []
    return status == 200 and body == []


@pytest.fixture
def household(client, make_user, settings_env):
    use_sources(settings_env)
    email = f"owner-{uuid.uuid4().hex[:8]}@seen.test"
    owner_id, headers = make_user(email=email)
    owner = Api(client, headers)
    with db.connection() as conn:
        film = Catalog(conn).movie("Heat", runtime_minutes=170)
        conn.execute("UPDATE media_items SET content_rating = 'R', min_age = 17 WHERE id = %s", (film,))
    [job] = sql("INSERT INTO download_jobs (user_id, source_type, source, title, status, progress, completed_at, "
                "ended_at, media_id) VALUES (%s, 'magnet', %s, 'linked', 'completed', 100, now(), now(), %s) "
                "RETURNING id", owner_id, "magnet:?xt=urn:btih:" + "cd" * 20, film)
    index_files(client, job["id"], ["Heat.1995.1080p.BluRay.x264-GRP.mkv"])
    [item] = sql("SELECT id FROM library_items WHERE source_job_id = %s", job["id"])
    sql("INSERT INTO discover_sections (key, title, source) VALUES ('kid-walk', 'Walked', 'curated') "
        "ON CONFLICT (key) DO NOTHING")
    return owner, email, Ids(film, str(item["id"]), "")


def test_a_profile_turned_into_a_pg_kid_reaches_the_r_film_by_no_route(client, household):
    owner, email, base = household
    status, sam = owner("POST", "/api/v1/me/profiles", {"name": "Sam", "kind": "adult"})
    assert status == 201, sam
    # Sam, still a grown-up on another device, plays the film and leaves traces of it everywhere.
    sam_api = act_as(sign_in(client, email), sam["id"])
    sam_ids = holdings(sam_api, base)
    assert failed(probe_all(sam_api, sam_ids, PROBES)) == {}
    # The owner (a grown-up) does the same: each probe is a call that succeeds for a grown-up.
    owner_ids = holdings(owner, base)
    assert failed(probe_all(owner, owner_ids, PROBES)) == {}
    owner("PUT", f"/api/v1/ratings/{base.film}", {"rating": 8})

    status, ratings = owner("GET", "/api/v1/ratings")
    assert status == 200 and names_the_film(ratings, base.film, "Heat")  # the lists below are read the same way

    status, changed = owner("PATCH", f"/api/v1/me/profiles/{sam['id']}", {"kind": "kid", "maxRating": "PG",
                                                                    "ownerPin": "9753"})
    assert status == 200, changed
    before = held(uuid.UUID(sam["id"]), base.film)
    assert sum(before.values()) > 0  # Sam's grown-up traces of the film are there
    jobs = sql("SELECT count(*) AS n FROM download_jobs")[0]["n"]

    answers = probe_all(sam_api, sam_ids, {**PROBES, **KID_ONLY_PROBES})
    reached = {path: f"{status} {str(body)[:80]}" for path, (status, body) in answers.items()
               if not out_of_reach(status, body)}
    assert sorted(reached) == [], "\n".join(f"{path}: {answer}" for path, answer in sorted(reached.items()))
    assert held(uuid.UUID(sam["id"]), base.film) == before

    listed = {}
    for path in LISTS:
        status, body = sam_api("GET", path.format(collection=sam_ids.collection))
        assert status == 200, (path, body)
        if names_the_film(body, base.film, "Heat"):
            listed[path] = str(body)[:160]
    assert sorted(listed) == [], "\n".join(f"{path}: {body}" for path, body in sorted(listed.items()))
    assert sql("SELECT count(*) AS n FROM download_jobs")[0]["n"] == jobs
