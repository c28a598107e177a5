"""The fake Jellyfin and Plex servers over real HTTP: auth, paging, Fields and includeGuids, edits to the library,
broken items, Range on files, and paging a 20,000-item library (timed and printed, not asserted)."""

from __future__ import annotations

import time

import httpx
import pytest

from embedded.fakes.jellyfin import FakeJellyfin
from embedded.fakes.media_library import VIDEO, Episode, Library, Movie, Show, generate
from embedded.fakes.plex import FakePlex

JELLYFIN = {"Authorization": 'MediaBrowser Client="seen", Device="tests", DeviceId="t-1", Version="1.0", '
                             'Token="fake-jellyfin-key"'}
PLEX = {"X-Plex-Token": "fake-plex-token", "Accept": "application/json"}


@pytest.fixture
def library() -> Library:
    return generate(movies=4, shows=2, seasons=2, episodes=3)  # 4 + 2 + 4 + 12 = 22 items


@pytest.fixture
def jellyfin(library):
    fake = FakeJellyfin(library).start()
    yield fake
    fake.stop()


@pytest.fixture
def plex(library):
    fake = FakePlex(library).start()
    yield fake
    fake.stop()


@pytest.fixture
def plexed(plex):
    """A client of the fake Plex with its token and the JSON Accept header (one client: creating one costs ~20 ms)."""
    with httpx.Client(base_url=plex.url, headers=PLEX) as client:
        yield client


def jellyfin_items(fake: FakeJellyfin, page: int = 5, **params: str) -> list[dict]:
    """A recursive /Items listing, page by page, as a sync reads it."""
    items: list[dict] = []
    with httpx.Client(base_url=fake.url, headers=JELLYFIN) as client:
        while True:
            body = client.get("/Items", params={"Recursive": "true", "StartIndex": len(items), "Limit": page,
                                                **params}).raise_for_status().json()
            items += body["Items"]
            if not body["Items"] or len(items) >= body["TotalRecordCount"]:
                return items


def plex_items(client: httpx.Client, path: str, page: int = 5, **params: str) -> list[dict]:
    """A Plex list, paged by the X-Plex-Container headers."""
    items: list[dict] = []
    while True:
        paging = {"X-Plex-Container-Start": str(len(items)), "X-Plex-Container-Size": str(page)}
        container = client.get(path, params={"includeGuids": "1", **params},
                               headers=paging).raise_for_status().json()["MediaContainer"]
        items += container.get("Metadata", [])
        if container["size"] == 0 or len(items) >= container["totalSize"]:
            return items


def plex_all(client: httpx.Client, page: int = 5) -> list[dict]:
    """Movies and shows from the sections, each show's episodes from allLeaves, as the sync reads Plex."""
    shows = plex_items(client, "/library/sections/2/all", page)
    leaves = [leaf for show in shows
              for leaf in plex_items(client, f"/library/metadata/{show['ratingKey']}/allLeaves", page)]
    return plex_items(client, "/library/sections/1/all", page) + shows + leaves


def test_generated_library_is_deterministic_with_unique_provider_ids():
    started = time.perf_counter()
    library = generate(movies=800, shows=100)
    print(f"generated {library.item_count()} items in {time.perf_counter() - started:.3f}s")
    assert library.counts() == {"movies": 800, "shows": 100, "seasons": 200, "episodes": 1000}
    assert [p.item.item_id for p in library.walk()] == [p.item.item_id for p in generate(800, 100).walk()]
    first_movie, first_show = next(iter(library.movies.values())), next(iter(library.shows.values()))
    assert (first_movie.title, first_movie.tmdb, first_movie.imdb) == ("Generated Movie 0001", 900001, "tt9000001")
    assert (first_show.title, first_show.tvdb, first_show.imdb) == ("Generated Show 001", 700001, "tt8000001")
    tvdb = [p.item.tvdb for p in library.walk() if isinstance(p.item, Episode | Show)]
    assert len(set(tvdb)) == len(tvdb) == 1100
    assert len({p.item.item_id for p in library.walk()}) == 2100


def test_jellyfin_refuses_requests_without_its_key(jellyfin):
    with httpx.Client(base_url=jellyfin.url) as client:
        assert client.get("/System/Info/Public").json()["Id"] == jellyfin.server_id
        assert client.get("/Items").status_code == 401
        assert client.get("/System/Info", headers={"X-Emby-Token": "wrong"}).status_code == 401
        for auth in ({"headers": JELLYFIN}, {"headers": {"X-Emby-Token": "fake-jellyfin-key"}},
                     {"headers": {"X-MediaBrowser-Token": "fake-jellyfin-key"}},
                     {"params": {"api_key": "fake-jellyfin-key"}}, {"params": {"ApiKey": "fake-jellyfin-key"}}):
            assert client.get("/System/Info", **auth).json()["Version"] == "10.10.3"
    jellyfin.legacy_auth = False  # Jellyfin 12: only the Authorization header and ApiKey
    with httpx.Client(base_url=jellyfin.url) as client:
        assert client.get("/Items", headers={"X-Emby-Token": "fake-jellyfin-key"}).status_code == 401
        assert client.get("/Items", headers=JELLYFIN).status_code == 200


def test_jellyfin_pages_cover_every_item_exactly_once(jellyfin, library):
    items = jellyfin_items(jellyfin, page=5)
    assert sorted(item["Id"] for item in items) == sorted(p.item.item_id for p in library.walk())
    assert [r.query["StartIndex"] for r in jellyfin.requests] == ["0", "5", "10", "15", "20"]
    assert [item["Type"] for item in items[:7]] == ["Movie"] * 4 + ["Series"] * 2 + ["Season"]


def test_jellyfin_honours_item_types_fields_and_parent(jellyfin, library):
    bare = jellyfin_items(jellyfin, IncludeItemTypes="Movie")
    assert len(bare) == 4 and not {"ProviderIds", "Path", "Overview", "Genres"} & bare[0].keys()
    movie = library.movies[bare[0]["Id"]]
    full = jellyfin_items(jellyfin, IncludeItemTypes="Movie", Fields="ProviderIds,Path,Genres,Overview")[0]
    assert full["ProviderIds"] == {"Imdb": movie.imdb, "Tmdb": str(movie.tmdb)}
    assert (full["Path"], full["Genres"], full["Overview"]) == (movie.path, movie.genres, movie.overview)
    assert (full["ProductionYear"], full["CommunityRating"]) == (movie.year, movie.community_rating)
    assert full["PremiereDate"] == f"{movie.premiere_date}T00:00:00.0000000Z"
    with httpx.Client(base_url=jellyfin.url, headers=JELLYFIN) as client:
        roots = client.get("/Items").json()["Items"]  # not recursive, no parent: the library folders
    assert [(root["Type"], root["CollectionType"]) for root in roots] == [
        ("CollectionFolder", "movies"), ("CollectionFolder", "tvshows")]
    show = next(iter(library.shows.values()))
    below = jellyfin_items(jellyfin, ParentId=show.item_id, Fields="ProviderIds")
    episode = next(item for item in below if item["Type"] == "Episode")
    season = next(s for s in show.seasons if s.item_id == episode["SeasonId"])
    assert len(below) == 2 + 6 and episode["SeriesId"] == show.item_id and episode["SeriesName"] == show.title
    assert episode["ParentIndexNumber"] == season.number and episode["ProviderIds"]["Tvdb"].isdigit()


def test_jellyfin_serves_edits_and_broken_items(jellyfin, library):
    movie, show = next(iter(library.movies)), next(iter(library.shows.values()))
    library.remove(movie)
    library.remove(show.seasons[0].item_id)  # and its three episodes
    library.rename(show.item_id, "Renamed Show")
    library.set_broken(show.seasons[0].episodes[0].item_id)
    items = {item["Id"]: item for item in jellyfin_items(jellyfin)}
    assert len(items) == 22 - 1 - 4 and movie not in items
    assert items[show.item_id]["Name"] == "Renamed Show"
    broken = items[show.seasons[0].episodes[0].item_id]
    assert "Name" not in broken and broken["ProductionYear"] == "not-a-year"


def test_jellyfin_streams_files_with_range(jellyfin, library):
    movie = next(iter(library.movies.values()))
    key = {"api_key": "fake-jellyfin-key"}
    with httpx.Client(base_url=jellyfin.url) as client:
        part = client.get(f"/Videos/{movie.item_id}/stream", params=key, headers={"Range": "bytes=4-11"})
        assert (part.status_code, part.content, part.headers["content-range"]) == (
            206, VIDEO[4:12], f"bytes 4-11/{len(VIDEO)}")
        assert client.get(f"/Videos/{movie.item_id}/stream.mkv", params=key).content == VIDEO
        assert client.get(f"/Videos/{next(iter(library.shows))}/stream", params=key).status_code == 404
        assert client.get(f"/Videos/{movie.item_id}/stream").status_code == 401


def test_plex_refuses_requests_without_its_token(plex):
    with httpx.Client(base_url=plex.url) as client:
        identity = client.get("/identity").json()["MediaContainer"]
        assert identity["machineIdentifier"] == plex.machine_identifier and len(identity["machineIdentifier"]) == 40
        refused = client.get("/library/sections", headers={"Accept": "application/json"})
        assert refused.status_code == 401 and refused.headers["content-type"] == "text/html"
        assert client.get("/library/sections", headers={"X-Plex-Token": "fake-plex-token"}).status_code == 406
        sections = client.get("/library/sections", params={"X-Plex-Token": "fake-plex-token"},
                              headers={"Accept": "application/json"}).json()["MediaContainer"]["Directory"]
        assert [(s["key"], s["type"], s["agent"]) for s in sections] == [
            ("1", "movie", "tv.plex.agents.movie"), ("2", "show", "tv.plex.agents.series")]


def test_plex_pages_cover_every_item_exactly_once(plex, plexed, library):
    items = plex_all(plexed) + plex_items(plexed, "/library/sections/2/all", type="3")
    wanted = sorted(int(plex.rating_key(p.item.item_id)) for p in library.walk())
    assert sorted(int(item["ratingKey"]) for item in items) == wanted
    show = next(iter(library.shows.values()))
    children = plex_items(plexed, f"/library/metadata/{plex.rating_key(show.item_id)}/children", page=1)
    assert [(c["type"], c["index"]) for c in children] == [("season", 1), ("season", 2)]
    by_query = plexed.get("/library/sections/1/all", params={"X-Plex-Container-Start": 3, "X-Plex-Container-Size": 2})
    container = by_query.json()["MediaContainer"]
    assert (container["offset"], container["size"], container["totalSize"]) == (3, 1, 4)
    assert by_query.headers["X-Plex-Container-Total-Size"] == "4"


def test_plex_lists_guids_only_when_asked(plexed, library):
    movie = next(iter(library.movies.values()))
    bare = plexed.get("/library/sections/1/all").json()["MediaContainer"]["Metadata"][0]
    assert "Guid" not in bare and bare["title"] == movie.title and bare["type"] == "movie"
    first = plex_items(plexed, "/library/sections/1/all")[0]
    assert first["Guid"] == [{"id": f"imdb://{movie.imdb}"}, {"id": f"tmdb://{movie.tmdb}"}]
    assert first["Media"][0]["Part"][0]["file"] == movie.path


def test_plex_episodes_name_their_show_and_season(plex, plexed, library):
    show = next(iter(library.shows.values()))
    leaves = plex_items(plexed, f"/library/metadata/{plex.rating_key(show.item_id)}/allLeaves")
    assert [(e["parentIndex"], e["index"]) for e in leaves] == [(s, e) for s in (1, 2) for e in (1, 2, 3)]
    first = leaves[0]
    assert (first["grandparentRatingKey"], first["grandparentTitle"]) == (plex.rating_key(show.item_id), show.title)
    assert first["parentRatingKey"] == plex.rating_key(show.seasons[0].item_id)
    assert first["Guid"] == [{"id": f"tvdb://{show.seasons[0].episodes[0].tvdb}"}]


def test_plex_serves_edits_and_broken_items(plex, plexed, library):
    movies = list(library.movies)
    before = {item["ratingKey"]: item for item in plex_all(plexed)}
    library.remove(movies[0])
    library.rename(movies[1], "Renamed Movie")
    library.set_broken(movies[2])
    library.add(Movie("f" * 32, "Added Later", 2024, tmdb=1, path="/data/movies/Added Later.mp4"))
    after = {item["ratingKey"]: item for item in plex_all(plexed)}
    assert plex.rating_key(movies[0]) not in after and after[plex.rating_key(movies[1])]["title"] == "Renamed Movie"
    broken = after[plex.rating_key(movies[2])]
    assert "title" not in broken and broken["year"] == "x"
    assert int(plex.rating_key("f" * 32)) > max(int(key) for key in before)
    assert len(after) == len(before) and after[plex.rating_key("f" * 32)]["Media"][0]["container"] == "mp4"


def test_plex_streams_parts_with_range(plex, plexed):
    movie = plex_items(plexed, "/library/sections/1/all")[0]
    part = movie["Media"][0]["Part"][0]
    with httpx.Client(base_url=plex.url) as client:
        tail = client.get(part["key"], params={"X-Plex-Token": "fake-plex-token"}, headers={"Range": "bytes=-4"})
        assert (tail.status_code, tail.content, tail.headers["content-type"]) == (206, VIDEO[-4:], "video/x-matroska")
        assert client.get(part["key"]).status_code == 401
        missing = client.get(f"/library/parts/{movie['ratingKey']}/1/file.mkv", headers=PLEX)
        assert missing.status_code == 404  # a ratingKey is not a part id


def test_a_20000_item_library_pages_quickly():
    library = generate(movies=8000, shows=400, seasons=3, episodes=10)
    total = library.item_count()
    with FakeJellyfin(library) as jellyfin, FakePlex(library) as plex, httpx.Client(
            base_url=plex.url, headers=PLEX) as plexed:
        started = time.perf_counter()
        assert len(jellyfin_items(jellyfin, page=500, Fields="ProviderIds,Path")) == total
        jellyfin_seconds = time.perf_counter() - started
        started = time.perf_counter()
        seasons = plex_items(plexed, "/library/sections/2/all", page=500, type="3")
        plex_count = len(plex_all(plexed, page=500)) + len(seasons)
        plex_seconds = time.perf_counter() - started
    print(f"{total} items: Jellyfin {jellyfin_seconds:.2f}s in {len(jellyfin.requests)} pages of 500; "
          f"Plex {plex_seconds:.2f}s in {len(plex.requests)} requests (allLeaves per show)")
    assert plex_count == total
