"""A fake Jikan API v4 (the keyless MyAnimeList API) for the endpoints /seen/ uses, with Jikan's rate limit.

Shapes as Jikan answers them: ``GET /v4/anime?q=&type=tv&limit=`` is ``{"pagination": {...}, "data":
[<anime>]}`` (titles matched case-insensitively by substring, ``type`` filtered); ``GET /v4/anime/{id}/full``
is ``{"data": <anime with "relations": [{"relation": "Sequel", "entry": [{"mal_id", "type": "anime", "name",
"url"}]}]>}``; ``GET /v4/anime/{id}/episodes?page=`` is ``{"pagination": {"last_visible_page",
"has_next_page"}, "data": [{"mal_id": <number>, "title", "aired", "filler", "recap", ...}]}`` 100 a page.
An unknown id is HTTP 404 ``{"status": 404, "type": "BadResponseException", "message": "Resource does not
exist", "error": "404 on ..."}``. Jikan's published limits are enforced: more than 3 requests in a second or
60 in a minute is HTTP 429 ``RateLimitException`` with ``Retry-After`` (``over_limit`` counts them). Nothing
is seeded: tests add entries with ``add_anime``.

    python -m embedded.fakes.jikan --port 18340   # then JIKAN_BASE_URL=http://127.0.0.1:18340/v4
"""

from __future__ import annotations

import argparse
import re
import time
from collections import deque
from typing import Any

from embedded.fakes import FakeServer, Recorded, Reply

PER_SECOND, PER_MINUTE = 3, 60
FULL = re.compile(r"/v4/anime/(\d+)/full")
EPISODES = re.compile(r"/v4/anime/(\d+)/episodes")
RATE_LIMITED = {"status": 429, "type": "RateLimitException",
                "message": "You are being rate-limited. Please follow Rate Limiting guidelines: "
                           "https://docs.api.jikan.moe/#section/Information/Rate-Limiting", "error": None}


def _not_found(path: str) -> Reply:
    return Reply(404, {"status": 404, "type": "BadResponseException", "message": "Resource does not exist",
                       "error": f"404 on {path}"})


class FakeJikan(FakeServer):
    name = "jikan"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, per_page: int = 100):
        super().__init__(host, port)
        self.anime: dict[int, dict[str, Any]] = {}
        self.episode_lists: dict[int, list[dict[str, Any]]] = {}
        self.per_page = per_page
        self.over_limit = 0  # requests answered 429 by the rate limit (not by ``fail``)
        self._recent: deque[float] = deque()

    @property
    def url(self) -> str:
        return f"{self.origin}/v4"

    def error_body(self, status: int) -> Any:
        if status == 429:
            return RATE_LIMITED
        return {"status": status, "type": "UpstreamException", "message": "Jikan failed to connect to MyAnimeList",
                "error": None}

    def add_anime(self, mal_id: int, title: str, episodes: int | None, aired_from: str | None, *,
                  kind: str = "TV", title_english: str | None = None, sequel: int | None = None,
                  prequel: int | None = None, listed_episodes: int | None = None, **fields: Any) -> dict[str, Any]:
        """An entry; ``episodes`` None is a show still airing (``listed_episodes`` are on its episode pages)."""
        year = int(aired_from[:4]) if aired_from else None
        entry = {"mal_id": mal_id, "url": f"https://myanimelist.net/anime/{mal_id}/{title.replace(' ', '_')}",
                 "images": {"jpg": {"image_url": f"https://cdn.myanimelist.net/images/anime/{mal_id}.jpg"}},
                 "approved": True, "titles": [{"type": "Default", "title": title}] +
                 ([{"type": "English", "title": title_english}] if title_english else []),
                 "title": title, "title_english": title_english, "title_japanese": None, "title_synonyms": [],
                 "type": kind, "source": "Manga", "episodes": episodes,
                 "status": "Finished Airing" if episodes else "Currently Airing", "airing": episodes is None,
                 "aired": {"from": f"{aired_from}T00:00:00+00:00" if aired_from else None, "to": None,
                           "string": aired_from or "Not available"},
                 "duration": "24 min per ep", "rating": "PG-13 - Teens 13 or older", "score": 8.5,
                 "season": "fall" if aired_from else None, "year": year, "relations": [], **fields}
        self.anime[mal_id] = entry
        self.episode_lists[mal_id] = [
            {"mal_id": n, "url": None, "title": f"{title} Episode {n}", "title_japanese": None,
             "title_romanji": None, "aired": None, "score": 4.5, "filler": False, "recap": False, "forum_url": None}
            for n in range(1, (episodes if episodes is not None else listed_episodes or 0) + 1)]
        if sequel is not None:
            self.relate(mal_id, "Sequel", sequel)
        if prequel is not None:
            self.relate(mal_id, "Prequel", prequel)
        return entry

    def relate(self, mal_id: int, relation: str, other: int) -> None:
        """Add ``other`` to ``mal_id``'s ``relation`` ("Sequel", "Prequel", "Side story", ...)."""
        relations = self.anime[mal_id]["relations"]
        group = next((r for r in relations if r["relation"] == relation), None)
        if group is None:
            group = {"relation": relation, "entry": []}
            relations.append(group)
        name = self.anime[other]["title"] if other in self.anime else f"Anime {other}"
        group["entry"].append({"mal_id": other, "type": "anime", "name": name,
                               "url": f"https://myanimelist.net/anime/{other}"})

    def _limited(self) -> Reply | None:
        now = time.monotonic()
        with self._lock:
            while self._recent and now - self._recent[0] > 60:
                self._recent.popleft()
            last_second = sum(1 for t in self._recent if now - t < 1)
            if last_second >= PER_SECOND or len(self._recent) >= PER_MINUTE:
                self.over_limit += 1
                wait = 1 if last_second >= PER_SECOND else int(61 - (now - self._recent[0]))
                return Reply(429, RATE_LIMITED, {"Retry-After": str(max(1, wait))})
            self._recent.append(now)
        return None

    def handle(self, request: Recorded) -> Reply:
        if (limited := self._limited()) is not None:
            return limited
        if request.path == "/v4/anime":
            return self._search(request.query)
        if match := FULL.fullmatch(request.path):
            entry = self.anime.get(int(match[1]))
            return Reply(200, {"data": entry}) if entry else _not_found(request.path)
        if match := EPISODES.fullmatch(request.path):
            return self._episodes(int(match[1]), request.query, request.path)
        return _not_found(request.path)

    def _search(self, query: dict[str, str]) -> Reply:
        words = (query.get("q") or "").lower()
        kind = (query.get("type") or "").lower()
        limit = int(query.get("limit") or 25) if (query.get("limit") or "").isdigit() else 25
        found = [{k: v for k, v in e.items() if k != "relations"} for e in self.anime.values()
                 if (not kind or e["type"].lower() == kind)
                 and any(words in (t["title"] or "").lower() for t in e["titles"])]
        shown = found[:limit]
        return Reply(200, {"pagination": {"last_visible_page": 1, "has_next_page": False, "current_page": 1,
                                          "items": {"count": len(shown), "total": len(found), "per_page": limit}},
                           "data": shown})

    def _episodes(self, mal_id: int, query: dict[str, str], path: str) -> Reply:
        if mal_id not in self.anime:
            return _not_found(path)
        page = int(query.get("page") or 1) if (query.get("page") or "1").isdigit() else 1
        listed = self.episode_lists[mal_id]
        last = max(1, -(-len(listed) // self.per_page))
        chunk = listed[(page - 1) * self.per_page:page * self.per_page]
        return Reply(200, {"pagination": {"last_visible_page": last, "has_next_page": page < last},
                           "data": chunk})


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded.fakes.jikan")
    parser.add_argument("--port", type=int, default=18340)
    args = parser.parse_args()
    fake = FakeJikan(port=args.port)
    print(f"fake Jikan on {fake.url} (JIKAN_BASE_URL={fake.url})", flush=True)
    fake._server.serve_forever()


if __name__ == "__main__":
    main()
