"""A fake TheTVDB API v4 (the endpoints /seen/ uses), seeded from the demo catalog.

It answers like TVDB: ``POST /v4/login`` with ``{"apikey", "pin"}`` (the PIN only when the fake was given
one) returns ``{"status": "success", "data": {"token": ...}}``; a wrong key or PIN is HTTP 401
``{"status": "failure", "message": "Unauthorized", "data": null}``. Every other endpoint wants
``Authorization: Bearer <token>`` and answers the same 401 without a valid one (``expire_tokens()``
makes every token issued so far invalid, as a month's end does). ``GET /v4/series/{id}/extended``
is the series' extended record (``airsTime``, ``airsDays``, ``originalNetwork`` with its ``country``,
``originalCountry``, ``remoteIds``; ``characters``, ``artworks`` and ``trailers`` left out with
``short=true``), or HTTP 404 ``{"status": "failure", "message": "NotFoundException: ...", "data": null}``.
``GET /v4/search/remoteid/{id}`` lists ``{"series": <base record>}`` for each series with that IMDb or
TMDB id. Seeded series: one per demo show, with its TMDB id; tests add their own with ``add_series``.

    python -m embedded.fakes.tvdb --port 18330   # then TVDB_BASE_URL=http://127.0.0.1:18330/v4
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import zlib
from pathlib import Path
from typing import Any

from embedded.fakes import FakeServer, Recorded, Reply

DEMO = Path(__file__).resolve().parents[3] / "chalicelib" / "catalog" / "demo_data"
UNAUTHORIZED = {"status": "failure", "message": "Unauthorized", "data": None}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SOURCES = {"imdb": (2, "IMDB"), "tmdb": (12, "TheMovieDB.com")}
SERIES = re.compile(r"/v4/series/(\d+)/extended")
REMOTE = re.compile(r"/v4/search/remoteid/([^/]+)")


def _success(data: Any) -> dict[str, Any]:
    return {"status": "success", "data": data}


class FakeTvdb(FakeServer):
    name = "tvdb"

    def __init__(self, api_key: str = "fake-tvdb-key", pin: str | None = None, seed: bool = True,
                 host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.api_key, self.pin = api_key, pin
        self.tokens: set[str] = set()
        self.series: dict[int, dict[str, Any]] = {}
        if seed:
            for item in json.loads((DEMO / "shows.json").read_text()):
                if item.get("tmdb"):
                    slot = ("20:00", "21:00", "22:00")[zlib.crc32(item["title"].encode()) % 3]
                    self.add_series(300000 + item["tmdb"], item["title"], airs_time=slot,
                                    network=item.get("network") or "Unknown", tmdb_id=item["tmdb"])

    @property
    def url(self) -> str:
        return f"{self.origin}/v4"

    def error_body(self, status: int) -> Any:
        return {"status": "failure", "message": "InternalServerError", "data": None}

    def add_series(self, tvdb_id: int, name: str, *, airs_time: str = "21:00", airs_days: tuple[str, ...] = ("sunday",),
                   network: str = "AMC", network_country: str = "usa", country: str = "usa",
                   imdb_id: str | None = None, tmdb_id: int | None = None) -> dict[str, Any]:
        """A series' extended record (tests edit it: ``series[id]["airsTime"] = ""`` for none)."""
        remote = [{"id": str(value), "type": SOURCES[kind][0], "sourceName": SOURCES[kind][1]}
                  for kind, value in (("imdb", imdb_id), ("tmdb", tmdb_id)) if value]
        record = {"id": tvdb_id, "name": name, "slug": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
                  "image": f"https://artworks.thetvdb.com/banners/posters/{tvdb_id}-1.jpg", "year": "2008",
                  "status": {"id": 1, "name": "Continuing", "recordType": "series", "keepUpdated": False},
                  "originalCountry": country, "originalLanguage": "eng", "country": country,
                  "airsTime": airs_time, "airsDays": {day: day in airs_days for day in WEEKDAYS},
                  "originalNetwork": {"id": zlib.crc32(network.encode()) % 10000, "name": network,
                                      "slug": network.lower().replace(" ", "-"), "country": network_country,
                                      "primaryCompanyType": 1},
                  "remoteIds": remote, "characters": [], "artworks": [], "trailers": []}
        self.series[tvdb_id] = record
        return record

    def expire_tokens(self) -> None:
        """Every token issued so far is refused from now on (HTTP 401), as when a month has passed."""
        with self._lock:
            self.tokens.clear()

    def handle(self, request: Recorded) -> Reply:
        if request.method == "POST" and request.path == "/v4/login":
            return self._login(request.body)
        if request.headers.get("authorization", "").removeprefix("Bearer ") not in self.tokens:
            return Reply(401, UNAUTHORIZED)
        if match := SERIES.fullmatch(request.path):
            return self._extended(int(match[1]), request.query.get("short") == "true")
        if match := REMOTE.fullmatch(request.path):
            return Reply(200, _success(self._by_remote_id(match[1])))
        return Reply(404, {"status": "failure", "message": "NotFoundException: no route", "data": None})

    def _login(self, body: str) -> Reply:
        try:
            sent = json.loads(body or "{}")
        except ValueError:
            return Reply(400, {"status": "failure", "message": "InvalidJSON", "data": None})
        if sent.get("apikey") != self.api_key or sent.get("pin") != self.pin:
            return Reply(401, UNAUTHORIZED)
        token = f"eyJ.fake-tvdb.{secrets.token_hex(8)}"
        with self._lock:
            self.tokens.add(token)
        return Reply(200, _success({"token": token}))

    def _extended(self, tvdb_id: int, short: bool) -> Reply:
        record = self.series.get(tvdb_id)
        if record is None:
            return Reply(404, {"status": "failure", "message": f"NotFoundException: series {tvdb_id}",
                               "data": None})
        hidden = {"characters", "artworks", "trailers"} if short else set()
        return Reply(200, _success({k: v for k, v in record.items() if k not in hidden}))

    def _by_remote_id(self, remote_id: str) -> list[dict[str, Any]]:
        base = ("id", "name", "slug", "image", "year", "status", "originalCountry", "originalLanguage", "country")
        return [{"series": {k: s[k] for k in base}} for s in self.series.values()
                if any(r["id"] == remote_id for r in s["remoteIds"])]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded.fakes.tvdb")
    parser.add_argument("--port", type=int, default=18330)
    args = parser.parse_args()
    fake = FakeTvdb(port=args.port)
    print(f"fake TVDB on {fake.url} (TVDB_API_KEY={fake.api_key}, TVDB_ALLOW_PRIVATE=true)", flush=True)
    fake._server.serve_forever()


if __name__ == "__main__":
    main()
