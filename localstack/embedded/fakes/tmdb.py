"""A fake TMDB API v3 (the endpoints /seen/ uses), seeded from the demo catalog.

Authentication as TMDB does it: ``api_key`` query parameter (v3) or
``Authorization: Bearer`` (v4 read token); anything else is TMDB's 401 body.
Lists are derived from the seeded titles (popularity, rating, release dates)
and paginated 20 per page; details honour ``append_to_response`` (similar,
recommendations, external_ids, credits, aggregate_credits, images, release_dates,
content_ratings, season/N); ``/movie/{id}/recommendations``, ``/similar``, ``/release_dates``,
``/tv/{id}/content_ratings``, ``/credits`` and ``/images`` answer on their own paths too. Certifications: a
title's ``_certification`` (the demo catalog's US rating; tests set others) is its US one, and
``_certifications`` ({country: label}) adds or replaces countries. Images honour
``include_image_language`` ("en,null"). Credits come from the demo catalog's
``credits.json`` (``_credits`` on a title overrides them); ``/person/{id}``
answers for every person in them (``people`` holds them, tests add more), and
``/find/{imdb_id}?external_source=imdb_id`` finds movies and shows by IMDb id.
``/tv/{id}/episode_groups`` and ``/tv/episode_group/{id}`` answer for groups tests add
(``add_absolute_group``); a show's ``_gone_seasons`` are listed but their pages answer 404.

    python -m embedded.fakes.tmdb --port 18300   # then TMDB_BASE_URL=http://127.0.0.1:18300/3
"""

from __future__ import annotations

import argparse
import json
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from embedded.fakes import FakeServer, Recorded, Reply

DEMO = Path(__file__).resolve().parents[3] / "chalicelib" / "catalog" / "demo_data"
PAGE = 20
STATUS = {"returning": "Returning Series", "ended": "Ended", "canceled": "Canceled", "released": "Released",
          "planned": "Planned", "in_production": "In Production", "post_production": "Post Production"}
NOT_FOUND = {"success": False, "status_code": 34, "status_message": "The resource you requested could not be found."}
BAD_KEY = {"success": False, "status_code": 7, "status_message": "Invalid API key: You must be granted a valid key."}


def _noise(value: int, modulo: int) -> int:
    return zlib.crc32(str(value).encode()) % modulo


class FakeTmdb(FakeServer):
    name = "tmdb"

    def __init__(self, api_key: str = "fake-tmdb-key",
                 read_token: str = "fake-tmdb-read-token",  # noqa: S107 - the fake's own test credential
                 today: date | None = None, seed: bool = True, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.api_key, self.read_token = api_key, read_token
        self.today = today or date.today()
        self.genres = json.loads((DEMO / "genres.json").read_text())["tmdb"]
        self.movies: dict[int, dict[str, Any]] = {}
        self.shows: dict[int, dict[str, Any]] = {}
        self.lists: dict[str, list[int]] = {}  # explicit list contents, by path (overrides the derived ones)
        self.people: dict[int, dict[str, Any]] = {}
        self.credits: dict[tuple[str, int], dict[str, list]] = {}  # (movie|tv, id) -> {cast, crew} as in credits.json
        self.episode_groups: dict[str, dict[str, Any]] = {}  # group id -> /tv/episode_group/{id} (with "_show")
        if seed:
            self._seed()

    @property
    def url(self) -> str:
        return f"{self.origin}/3"

    def error_body(self, status: int) -> Any:
        if status == 429:
            return {"success": False, "status_code": 25,
                    "status_message": "Your request count (41) is over the allowed limit of (40)."}
        return {"success": False, "status_code": 11, "status_message": "Internal error: Something went wrong."}

    # ------------------------------------------------------------------ data

    def _genre_objects(self, ids: list[int]) -> list[dict[str, Any]]:
        names = {gid: name for gid, name, _ in self.genres}
        return [{"id": gid, "name": names[gid]} for gid in ids if gid in names]

    def add_movie(self, tmdb_id: int, title: str, **fields: Any) -> dict[str, Any]:
        movie = {"id": tmdb_id, "title": title, "original_title": title, "overview": f"{title}.",
                 "release_date": "2020-01-01", "runtime": 100, "genres": self._genre_objects([18]),
                 "poster_path": f"/m{tmdb_id}.jpg", "backdrop_path": f"/mb{tmdb_id}.jpg",
                 "popularity": 10.0 + _noise(tmdb_id, 900), "vote_average": 5.0 + _noise(tmdb_id, 45) / 10,
                 "vote_count": 100 + _noise(tmdb_id, 20000), "status": "Released", "tagline": "", "adult": False,
                 "original_language": "en", "imdb_id": None, "belongs_to_collection": None,
                 "origin_country": ["US"], **fields}
        # TMDB's movie details name the producing countries too; its list results carry neither field.
        movie.setdefault("production_countries", [{"iso_3166_1": c, "name": c} for c in movie["origin_country"]])
        self.movies[tmdb_id] = movie
        return movie

    def add_show(self, tmdb_id: int, name: str, seasons: list[tuple[int, str | None]] | None = None,
                 **fields: Any) -> dict[str, Any]:
        """``seasons``: (episode count, premiere date) per season, episodes weekly."""
        show = {"id": tmdb_id, "name": name, "original_name": name, "overview": f"{name}.",
                "first_air_date": "2020-01-01", "episode_run_time": [45], "genres": self._genre_objects([18]),
                "poster_path": f"/s{tmdb_id}.jpg", "backdrop_path": f"/sb{tmdb_id}.jpg",
                "popularity": 10.0 + _noise(tmdb_id, 900), "vote_average": 5.0 + _noise(tmdb_id, 45) / 10,
                "vote_count": 100 + _noise(tmdb_id, 20000), "status": "Ended", "tagline": "",
                "original_language": "en", "networks": [{"id": 1, "name": "Fake Network"}],
                "origin_country": ["US"], **fields}
        show["_seasons"] = self._season_objects(tmdb_id, seasons or [(3, show["first_air_date"])],
                                                show["episode_run_time"][0] if show["episode_run_time"] else None)
        air_dates = [e["air_date"] for s in show["_seasons"] for e in s["episodes"] if e["air_date"]]
        show.setdefault("last_air_date", max(air_dates) if air_dates else None)
        self.shows[tmdb_id] = show
        return show

    def _season_objects(self, show_id: int, seasons: list[tuple[int, str | None]], runtime: int | None) -> list:
        result = []
        for number, (count, premiere) in enumerate(seasons, start=1):
            first = date.fromisoformat(premiere) if premiere else None
            episodes = [{"id": show_id * 1000 + number * 100 + e, "episode_number": e, "season_number": number,
                         "name": f"Episode {e}", "overview": "", "runtime": runtime,
                         "air_date": (first + timedelta(days=7 * (e - 1))).isoformat() if first else None,
                         "still_path": f"/e{show_id}_{number}_{e}.jpg"} for e in range(1, count + 1)]
            result.append({"id": show_id * 100 + number, "season_number": number, "name": f"Season {number}",
                           "overview": "", "air_date": premiere, "episode_count": count,
                           "poster_path": f"/p{show_id}_{number}.jpg", "episodes": episodes})
        return result

    def add_absolute_group(self, show_id: int, group_id: str | None = None) -> dict[str, Any]:
        """An episode group of type 2 ("Absolute") listing the show's regular episodes in order, one part."""
        show = self.shows[show_id]
        episodes = [{**{k: e[k] for k in ("id", "name", "overview", "air_date", "episode_number", "season_number",
                                          "still_path", "runtime")}, "show_id": show_id, "production_code": "",
                     "vote_average": 0.0, "vote_count": 0, "order": order}
                    for order, e in enumerate(e for s in show["_seasons"] if s["season_number"] > 0
                                              for e in s["episodes"])]
        group_id = group_id or f"{show_id:x}".rjust(24, "a")
        group = {"id": group_id, "name": "Absolute Order", "description": "", "type": 2, "locked": True,
                 "episode_count": len(episodes), "group_count": 1, "network": None, "_show": show_id,
                 "groups": [{"id": f"{group_id}-1", "name": "Episodes", "order": 1, "locked": True,
                             "episodes": episodes}]}
        self.episode_groups[group_id] = group
        return group

    def _episode_groups(self, show_id: int) -> dict[str, Any]:
        keys = ("description", "episode_count", "group_count", "id", "name", "network", "type")
        return {"id": show_id, "results": [{k: g[k] for k in keys} for g in self.episode_groups.values()
                                           if g["_show"] == show_id]}

    def add_person(self, person_id: int, name: str, department: str = "Acting", **fields: Any) -> dict[str, Any]:
        person = {"id": person_id, "name": name, "known_for_department": department, "gender": 0, "adult": False,
                  "profile_path": f"/pf{person_id}.jpg", "popularity": 1.0 + _noise(person_id, 90),
                  "biography": f"{name} is a fake TMDB person.", "birthday": f"{1940 + _noise(person_id, 60)}-05-17",
                  "deathday": None, "place_of_birth": None, "imdb_id": f"nm{person_id:07d}", "also_known_as": [],
                  **fields}
        self.people[person_id] = person
        return person

    def _seed_credits(self) -> None:
        data = json.loads((DEMO / "credits.json").read_text())
        for person_id, (name, department) in data["people"].items():
            self.add_person(int(person_id), name, department)
        for section, kind in (("movies", "movie"), ("shows", "tv")):
            for title_id, entry in data[section].items():
                self.credits[(kind, int(title_id))] = entry

    def _seed(self) -> None:
        self._seed_credits()
        for item in json.loads((DEMO / "movies.json").read_text()):
            if item.get("tmdb"):
                self.add_movie(item["tmdb"], item["title"], original_title=item.get("original", item["title"]),
                               release_date=item.get("date") or f"{item.get('year', 2000)}-06-01",
                               runtime=item.get("runtime"), genres=self._genre_objects(item.get("genres", [])),
                               imdb_id=item.get("imdb"), original_language=item.get("lang", "en"),
                               origin_country=item.get("countries", ["US"]),
                               overview=f"Fake TMDB synopsis of {item['title']}.",
                               _certification=item.get("rating", ""))
        for item in json.loads((DEMO / "shows.json").read_text()):
            if item.get("tmdb"):
                seasons = [(s[1], s[2] if isinstance(s[2], str) else (s[2][0][1] if isinstance(s[2], list) else None))
                           for s in item["seasons"]]
                self.add_show(item["tmdb"], item["title"], seasons=seasons,
                              first_air_date=item.get("date") or f"{item.get('year', 2000)}-01-01",
                              episode_run_time=[item["runtime"]] if item.get("runtime") else [],
                              genres=self._genre_objects(item.get("genres", [])),
                              status=STATUS.get(item.get("status"), "Ended"),
                              original_language=item.get("lang", "en"),
                              origin_country=item.get("countries", ["US"]),
                              _certification=item.get("rating", ""))

    # ---------------------------------------------------------------- lists

    def _summary(self, item: dict[str, Any]) -> dict[str, Any]:
        hidden = {"genres", "_seasons", "runtime", "episode_run_time", "networks", "tagline", "status",
                  "belongs_to_collection", "imdb_id", "last_air_date", "production_countries"}
        if "title" in item:  # a movie: TMDB's movie list results carry no origin_country (its TV lists do)
            hidden.add("origin_country")
        summary = {k: v for k, v in item.items() if k not in hidden and not k.startswith("_")}
        summary["genre_ids"] = [g["id"] for g in item.get("genres") or ()]
        return summary

    def _derived_list(self, path: str) -> list[dict[str, Any]]:
        kind = "movie" if "/movie" in path else "tv"
        items = list((self.movies if kind == "movie" else self.shows).values())
        date_key = "release_date" if kind == "movie" else "first_air_date"
        today = self.today.isoformat()
        by = {
            "popular": lambda i: -i["popularity"], "top_rated": lambda i: -i["vote_average"],
            "day": lambda i: -i["popularity"], "week": lambda i: -i["vote_count"],
        }
        if path.endswith("/upcoming"):
            return sorted((i for i in items if (i.get(date_key) or "") > today), key=lambda i: i[date_key])
        if path.endswith("/now_playing"):
            since = (self.today - timedelta(days=60)).isoformat()
            return sorted((i for i in items if since <= (i.get(date_key) or "") <= today),
                          key=lambda i: i[date_key], reverse=True)
        if path.endswith(("/airing_today", "/on_the_air")):
            return sorted((i for i in items if i.get("status") == "Returning Series"), key=by["popular"])
        return sorted(items, key=by[path.rsplit("/", 1)[-1]])

    def _list(self, path: str, query: dict[str, str]) -> Reply:
        if path in self.lists:
            source = self.movies if "/movie" in path else self.shows
            items = [source[i] for i in self.lists[path] if i in source]
        else:
            items = self._derived_list(path)
        page = max(1, int(query.get("page") or 1))
        chunk = items[(page - 1) * PAGE: page * PAGE]
        total_pages = max(1, -(-len(items) // PAGE))
        return Reply(200, {"page": page, "results": [self._summary(i) for i in chunk],
                           "total_pages": total_pages, "total_results": len(items)})

    # -------------------------------------------------------------- details

    def _appended(self, kind: str, item: dict[str, Any], append: list[str],
                  query: dict[str, str] | None = None) -> dict[str, Any]:
        body = {k: v for k, v in item.items() if not k.startswith("_")}
        query = query or {}
        pool = [i for i in (self.movies if kind == "movie" else self.shows).values() if i["id"] != item["id"]]
        first_genre = (item.get("genres") or [{}])[0].get("id")
        alike = [i for i in pool if first_genre in [g["id"] for g in i.get("genres") or ()]]
        if kind == "tv":
            body["seasons"] = [{k: v for k, v in s.items() if k != "episodes"} for s in item["_seasons"]]
            body.update(self._episodes_to_air(item))
        for part in append:
            if part == "similar":
                body["similar"] = {"page": 1, "results": [self._summary(i) for i in alike[:6]]}
            elif part == "recommendations":
                body["recommendations"] = {"page": 1, "results": [self._summary(i) for i in alike[6:10]]}
            elif part == "external_ids":
                body["external_ids"] = {"imdb_id": item.get("imdb_id"), "tvdb_id": item.get("tvdb_id")}
            elif part in ("credits", "aggregate_credits"):
                body[part] = self._credits(kind, item, part == "aggregate_credits" and kind == "tv")
            elif part == "images":
                body["images"] = self._images(item, query)
            elif part == "release_dates" and kind == "movie":
                body["release_dates"] = {"results": self._release_dates(item)}
            elif part == "content_ratings" and kind == "tv":
                body["content_ratings"] = {"results": self._content_ratings(item)}
            elif part.startswith("season/") and kind == "tv":
                season = self._find_season(item, part.split("/", 1)[1])
                if season is not None:
                    body[part] = season
        return body

    def _episodes_to_air(self, show: dict[str, Any]) -> dict[str, Any]:
        """TMDB's ``last_episode_to_air`` / ``next_episode_to_air`` relative to the fake's today."""
        today = self.today.isoformat()
        episodes = sorted((e for s in show["_seasons"] for e in s["episodes"] if e["air_date"]),
                          key=lambda e: e["air_date"])
        aired = [e for e in episodes if e["air_date"] <= today]
        upcoming = [e for e in episodes if e["air_date"] > today]
        return {"last_episode_to_air": aired[-1] if aired else None,
                "next_episode_to_air": upcoming[0] if upcoming else None}

    @staticmethod
    def _certifications(item: dict[str, Any]) -> dict[str, str]:
        """Country -> certification label: the US one from ``_certification``, others from ``_certifications``."""
        found = {"US": item.get("_certification") or ""}
        found.update(item.get("_certifications") or {})
        return found

    @classmethod
    def _release_dates(cls, movie: dict[str, Any]) -> list[dict[str, Any]]:
        """/movie/{id}/release_dates: ``_release_dates`` when a test set them, else US and GB theatrical
        on the release date and a US digital release 45 days later. As on TMDB, a release without a
        certification carries "" (a country's rating sits on its theatrical release here)."""
        labels = cls._certifications(movie)

        def entry(country: str, day: str, kind: int) -> dict[str, Any]:
            return {"certification": labels.get(country, "") if kind == 3 else "", "descriptors": [],
                    "iso_639_1": "", "note": "", "release_date": f"{day}T00:00:00.000Z", "type": kind}

        if "_release_dates" in movie:
            by_country: dict[str, list[dict[str, Any]]] = {}
            for country, day, kind in movie["_release_dates"]:
                by_country.setdefault(country, []).append(entry(country, day, kind))
            return [{"iso_3166_1": c, "release_dates": d} for c, d in by_country.items()]
        released = movie.get("release_date")
        if not released:
            return []
        digital = (date.fromisoformat(released) + timedelta(days=45)).isoformat()
        found = [{"iso_3166_1": "US", "release_dates": [entry("US", released, 3), entry("US", digital, 4)]},
                 {"iso_3166_1": "GB", "release_dates": [entry("GB", released, 3)]}]
        found += [{"iso_3166_1": c, "release_dates": [entry(c, released, 3)]} for c in labels if c not in ("US", "GB")]
        return found

    @classmethod
    def _content_ratings(cls, show: dict[str, Any]) -> list[dict[str, Any]]:
        """/tv/{id}/content_ratings: one entry per rated country (an unrated show has none)."""
        return [{"descriptors": [], "iso_3166_1": country, "rating": label}
                for country, label in cls._certifications(show).items() if label]

    def _credit_person(self, person_id: int) -> dict[str, Any]:
        person = self.people.get(person_id) or self.add_person(person_id, f"Person {person_id}")
        return {k: person[k] for k in ("id", "name", "known_for_department", "gender", "adult", "profile_path",
                                       "popularity")} | {"original_name": person["name"]}

    def _credits(self, kind: str, item: dict[str, Any], aggregate: bool) -> dict[str, Any]:
        """``credits`` (movie/tv) or ``aggregate_credits`` (tv: roles and jobs lists) of a title."""
        entry = item.get("_credits") or self.credits.get((kind, item["id"])) or {"cast": [], "crew": []}
        departments = {"Director": "Directing", "Original Music Composer": "Sound", "Executive Producer": "Production",
                       "Producer": "Production"}
        cast, crew = [], []
        for order, (person_id, character) in enumerate(entry["cast"]):
            line = {**self._credit_person(person_id), "order": order, "credit_id": f"c{item['id']}-{order}"}
            cast.append({**line, "roles": [{"credit_id": line["credit_id"], "character": character,
                                            "episode_count": 10}], "total_episode_count": 10}
                        if aggregate else {**line, "character": character, "cast_id": order})
        for index, (person_id, job) in enumerate(entry["crew"]):
            line = {**self._credit_person(person_id), "department": departments.get(job, "Writing"),
                    "credit_id": f"w{item['id']}-{index}"}
            crew.append({**line, "jobs": [{"credit_id": line["credit_id"], "job": job, "episode_count": 10}],
                         "total_episode_count": 10} if aggregate else {**line, "job": job})
        return {"id": item["id"], "cast": cast, "crew": crew}

    @staticmethod
    def _images(item: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        """Posters, backdrops and logos in English, French and no language, filtered like TMDB filters them."""
        prefix = "m" if "title" in item else "s"
        tmdb_id = item["id"]

        def image(path: str, language: str | None, votes: float, width: int) -> dict[str, Any]:
            return {"aspect_ratio": 1.0, "file_path": path, "height": width // 2, "iso_639_1": language,
                    "vote_average": votes, "vote_count": 3, "width": width}

        images = item.get("_images") or {
            "backdrops": [image(f"/{prefix}bk{tmdb_id}.jpg", None, 5.5, 3840), image(item["backdrop_path"] or
                          f"/{prefix}b{tmdb_id}.jpg", "en", 5.3, 1920)],
            "logos": [image(f"/{prefix}lfr{tmdb_id}.png", "fr", 9.0, 800),
                      image(f"/{prefix}l{tmdb_id}.png", "en", 5.4, 600),
                      image(f"/{prefix}lx{tmdb_id}.png", None, 5.2, 500)],
            "posters": [image(item["poster_path"] or f"/{prefix}{tmdb_id}.jpg", "en", 5.5, 2000)]}
        wanted = query.get("include_image_language")
        if wanted:
            languages = {None if code == "null" else code for code in wanted.split(",")}
            images = {kind: [i for i in found if i["iso_639_1"] in languages] for kind, found in images.items()}
        return {"id": tmdb_id, **images}

    def _person(self, raw_id: str) -> Reply:
        person = self.people.get(int(raw_id)) if raw_id.isdigit() else None
        return Reply(200, dict(person)) if person else Reply(404, NOT_FOUND)

    def _find(self, external_id: str, query: dict[str, str]) -> Reply:
        """/find/{id}?external_source=imdb_id (TMDB requires the source; anything else finds nothing)."""
        if query.get("external_source") != "imdb_id":
            return Reply(400, {"success": False, "status_code": 5,
                               "status_message": "Invalid parameters: Your request parameters are incorrect."})
        movies = [self._summary(m) | {"media_type": "movie"} for m in self.movies.values()
                  if m.get("imdb_id") == external_id]
        shows = [self._summary(s) | {"media_type": "tv"} for s in self.shows.values()
                 if s.get("imdb_id") == external_id]
        return Reply(200, {"movie_results": movies, "person_results": [], "tv_results": shows,
                           "tv_episode_results": [], "tv_season_results": []})

    @staticmethod
    def _find_season(show: dict[str, Any], number: str) -> dict[str, Any] | None:
        if number in {str(n) for n in show.get("_gone_seasons") or ()}:  # listed, but its page answers 404
            return None
        return next((s for s in show["_seasons"] if str(s["season_number"]) == number), None)

    def _details(self, parts: list[str], query: dict[str, str]) -> Reply:
        kind, raw_id = parts[0], parts[1]
        source = self.movies if kind == "movie" else self.shows
        item = source.get(int(raw_id)) if raw_id.isdigit() else None
        if item is None:
            return Reply(404, NOT_FOUND)
        if len(parts) == 4 and kind == "tv" and parts[2] == "season":
            season = self._find_season(item, parts[3])
            return Reply(200, season) if season else Reply(404, NOT_FOUND)
        if len(parts) == 3 and parts[2] in ("recommendations", "similar"):
            key = "recommendations" if parts[2] == "recommendations" else "similar"
            listed = self._appended(kind, item, [key])[key]["results"]
            return Reply(200, {"page": 1, "results": listed, "total_pages": 1, "total_results": len(listed)})
        if len(parts) == 3 and parts[2] == "release_dates" and kind == "movie":
            return Reply(200, {"id": item["id"], "results": self._release_dates(item)})
        if len(parts) == 3 and parts[2] == "content_ratings" and kind == "tv":
            return Reply(200, {"id": item["id"], "results": self._content_ratings(item)})
        if len(parts) == 3 and parts[2] in ("credits", "aggregate_credits"):
            return Reply(200, self._credits(kind, item, parts[2] == "aggregate_credits" and kind == "tv"))
        if len(parts) == 3 and parts[2] == "images":
            return Reply(200, self._images(item, query))
        if len(parts) == 3:
            return Reply(404, NOT_FOUND)
        append = [a for a in (query.get("append_to_response") or "").split(",") if a]
        return Reply(200, self._appended(kind, item, append, query))

    def _configuration(self) -> dict[str, Any]:
        return {"images": {"base_url": "http://image.tmdb.org/t/p/", "secure_base_url": "https://image.tmdb.org/t/p/",
                           "backdrop_sizes": ["w300", "w780", "w1280", "original"],
                           "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
                           "still_sizes": ["w92", "w185", "w300", "original"]},
                "change_keys": ["overview", "title"]}

    def handle(self, request: Recorded) -> Reply:
        authorised = request.query.get("api_key") == self.api_key or \
            request.headers.get("authorization") == f"Bearer {self.read_token}"
        if not authorised:
            return Reply(401, BAD_KEY)
        path = request.path.removeprefix("/3")
        parts = [p for p in path.split("/") if p]
        if path == "/configuration":
            return Reply(200, self._configuration())
        if len(parts) == 3 and parts[0] == "genre" and parts[2] == "list":
            media = "movie" if parts[1] == "movie" else "show"
            return Reply(200, {"genres": [{"id": g, "name": n} for g, n, types in self.genres if media in types]})
        if len(parts) == 2 and parts[0] == "person":
            return self._person(parts[1])
        if len(parts) == 2 and parts[0] == "find":
            return self._find(parts[1], request.query)
        if parts[:1] == ["trending"] or (len(parts) == 2 and not parts[1].isdigit()):
            return self._list(path, request.query)
        if len(parts) == 3 and parts[:2] == ["tv", "episode_group"]:
            group = self.episode_groups.get(parts[2])
            return Reply(200, {k: v for k, v in group.items() if k != "_show"}) if group else Reply(404, NOT_FOUND)
        if len(parts) == 3 and parts[0] == "tv" and parts[2] == "episode_groups" and parts[1].isdigit() \
                and int(parts[1]) in self.shows:
            return Reply(200, self._episode_groups(int(parts[1])))
        if len(parts) >= 2 and parts[0] in ("movie", "tv"):
            return self._details(parts, request.query)
        return Reply(404, NOT_FOUND)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded.fakes.tmdb")
    parser.add_argument("--port", type=int, default=18300)
    args = parser.parse_args()
    fake = FakeTmdb(port=args.port)
    print(f"fake TMDB on {fake.url} (TMDB_API_KEY={fake.api_key})", flush=True)
    fake._server.serve_forever()


if __name__ == "__main__":
    main()
