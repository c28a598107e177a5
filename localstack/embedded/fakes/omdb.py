"""A fake OMDb API (http://www.omdbapi.com/?apikey=...&i=tt...), seeded from the demo catalog.

It answers like OMDb: a title as ``{"Title", "Year", "Type", "imdbID",
"Ratings": [{"Source": "Internet Movie Database", "Value": "8.7/10"},
{"Source": "Rotten Tomatoes", "Value": "88%"}, {"Source": "Metacritic",
"Value": "73/100"}], "Metascore", "imdbRating", "imdbVotes": "1,234,567",
"Response": "True"}``; an unknown id as HTTP 200 ``{"Response": "False",
"Error": "Incorrect IMDb ID."}``; a wrong key as HTTP 401 ``{"Response":
"False", "Error": "Invalid API key!"}``; past ``daily_limit`` requests, HTTP 401
``{"Response": "False", "Error": "Request limit reached!"}``. Scores are
derived from the id (stable between runs); tests edit ``titles``.

    python -m embedded.fakes.omdb --port 18320   # then OMDB_BASE_URL=http://127.0.0.1:18320/
"""

from __future__ import annotations

import argparse
import json
import zlib
from pathlib import Path
from typing import Any

from embedded.fakes import FakeServer, Recorded, Reply

DEMO = Path(__file__).resolve().parents[3] / "chalicelib" / "catalog" / "demo_data"


def _noise(value: str, modulo: int) -> int:
    return zlib.crc32(value.encode()) % modulo


def _false(error: str) -> dict[str, str]:
    return {"Response": "False", "Error": error}


class FakeOmdb(FakeServer):
    name = "omdb"

    def __init__(self, api_key: str = "fake-omdb-key", daily_limit: int | None = None, seed: bool = True,
                 host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.api_key, self.daily_limit = api_key, daily_limit
        self.served = 0  # requests counted against daily_limit
        self.titles: dict[str, dict[str, Any]] = {}
        if seed:
            for name, kind in (("movies.json", "movie"), ("shows.json", "series")):
                for item in json.loads((DEMO / name).read_text()):
                    if item.get("imdb"):
                        self.add_title(item["imdb"], item["title"], kind, str(item.get("date", ""))[:4] or "N/A")

    @property
    def url(self) -> str:
        return f"{self.origin}/"

    def error_body(self, status: int) -> Any:
        return _false("Something went wrong.")

    def add_title(self, imdb_id: str, title: str, kind: str = "movie", year: str = "2000", *,
                  imdb: str | None = None, votes: str | None = None, tomatoes: str | None = None,
                  metacritic: str | None = None) -> dict[str, Any]:
        """A title; ``imdb`` "7.9", ``votes`` "12,345", ``tomatoes`` "91%", ``metacritic`` "74/100" ("N/A" = none)."""
        imdb = imdb or f"{5 + _noise(imdb_id, 45) / 10:.1f}"
        votes = votes or f"{1000 + _noise(imdb_id + 'v', 2_000_000):,}"
        tomatoes = tomatoes or f"{40 + _noise(imdb_id + 't', 60)}%"
        metacritic = metacritic or f"{30 + _noise(imdb_id + 'm', 70)}/100"
        ratings = [{"Source": source, "Value": value} for source, value in (
            ("Internet Movie Database", f"{imdb}/10" if imdb != "N/A" else "N/A"), ("Rotten Tomatoes", tomatoes),
            ("Metacritic", metacritic)) if value != "N/A"]
        body = {"Title": title, "Year": year, "Rated": "N/A", "Released": "N/A", "Runtime": "N/A", "Genre": "N/A",
                "Director": "N/A", "Writer": "N/A", "Actors": "N/A", "Plot": "N/A", "Language": "English",
                "Country": "N/A", "Awards": "N/A", "Poster": "N/A", "Ratings": ratings,
                "Metascore": metacritic.split("/")[0] if metacritic != "N/A" else "N/A",
                "imdbRating": imdb, "imdbVotes": votes, "imdbID": imdb_id, "Type": kind, "Response": "True"}
        self.titles[imdb_id] = body
        return body

    def handle(self, request: Recorded) -> Reply:
        key = request.query.get("apikey")
        if not key:
            return Reply(401, _false("No API key provided."))
        if key != self.api_key:
            return Reply(401, _false("Invalid API key!"))
        if self.daily_limit is not None:
            if self.served >= self.daily_limit:
                return Reply(401, _false("Request limit reached!"))
            self.served += 1
        imdb_id = request.query.get("i")
        if not imdb_id:
            return Reply(200, _false("Incorrect IMDb ID."))
        found = self.titles.get(imdb_id)
        return Reply(200, found) if found else Reply(200, _false("Incorrect IMDb ID."))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded.fakes.omdb")
    parser.add_argument("--port", type=int, default=18320)
    args = parser.parse_args()
    fake = FakeOmdb(port=args.port)
    print(f"fake OMDb on {fake.url} (OMDB_API_KEY={fake.api_key})", flush=True)
    fake._server.serve_forever()


if __name__ == "__main__":
    main()
