"""A fake IGDB API v4 plus Twitch's OAuth client-credentials endpoint.

``POST /oauth2/token?client_id=&client_secret=&grant_type=client_credentials``
issues app tokens as Twitch does; ``POST /v4/{games,genres,themes,platforms,release_dates}``
requires ``Client-ID`` and ``Authorization: Bearer <token>`` and reads an
apicalypse body (``fields``, ``where`` with ``& | ( )`` and comparisons,
``sort``, ``limit``, ``offset``). Only requested top-level fields are returned,
with references expanded as IGDB expands ``genres.name`` style fields. A game's ``age_ratings`` are
IGDB's objects (``category`` 1 ESRB, 2 PEGI; ``rating`` 1-5 PEGI 3..18, 6 RP, 7 EC, 8 E, 9 E10+, 10 T,
11 M, 12 AO); the demo catalog's ESRB ``rating`` seeds them.

    python -m embedded.fakes.igdb --port 18301
    # IGDB_BASE_URL=http://127.0.0.1:18301/v4 TWITCH_TOKEN_URL=http://127.0.0.1:18301/oauth2/token
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import zlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from embedded.fakes import FakeServer, Recorded, Reply

DEMO = Path(__file__).resolve().parents[3] / "chalicelib" / "catalog" / "demo_data"
SWITCH_2 = 508
ESRB, PEGI = 1, 2
RATING_ENUM = {"PEGI 3": 1, "PEGI 7": 2, "PEGI 12": 3, "PEGI 16": 4, "PEGI 18": 5, "RP": 6, "EC": 7, "E": 8,
               "E10+": 9, "T": 10, "M": 11, "AO": 12}
_TOKEN = re.compile(r"\s*(>=|<=|!=|=|>|<|&|\||\(|\)|,|-?\d+(?:\.\d+)?|null|[A-Za-z_][\w.]*)")


def _ts(value: str | None) -> int | None:
    return int(datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC).timestamp()) if value else None


def _noise(value: int, modulo: int) -> int:
    return zlib.crc32(str(value).encode()) % modulo


class Where:
    """A tiny recursive-descent evaluator for apicalypse ``where`` clauses."""

    def __init__(self, text: str):
        self.tokens = [t for t in _TOKEN.findall(text) if t]
        self.pos = 0

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self):
        return self._or()

    def _or(self):
        left = self._and()
        while self._peek() == "|":
            self._take()
            right, first = self._and(), left
            left = lambda g, a=first, b=right: a(g) or b(g)  # noqa: E731
        return left

    def _and(self):
        left = self._atom()
        while self._peek() == "&":
            self._take()
            right, first = self._atom(), left
            left = lambda g, a=first, b=right: a(g) and b(g)  # noqa: E731
        return left

    def _value(self):
        item = self._take()
        if item == "(":
            values = []
            while self._peek() != ")":
                values.append(self._value())
                if self._peek() == ",":
                    self._take()
            self._take()
            return tuple(values)
        return None if item == "null" else float(item)

    def _atom(self):
        if self._peek() == "(":
            self._take()
            inner = self._or()
            self._take()
            return inner
        field_name, op, value = self._take(), self._take(), self._value()
        return lambda g: _compare(g.get(field_name), op, value)


def _compare(actual: Any, op: str, value: Any) -> bool:
    if isinstance(actual, dict):
        actual = actual.get("id")
    if isinstance(value, tuple):
        return (actual in value) if op == "=" else (actual not in value)
    if op in ("=", "!="):
        return (actual == value) == (op == "=")
    if actual is None or value is None:
        return False
    return {">": actual > value, ">=": actual >= value, "<": actual < value, "<=": actual <= value}[op]


class FakeIgdb(FakeServer):
    name = "igdb"

    def __init__(self, client_id: str = "fake-twitch-client",
                 client_secret: str = "fake-twitch-secret",  # noqa: S107 - the fake's own test credential
                 seed: bool = True, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.client_id, self.client_secret = client_id, client_secret
        self.tokens: set[str] = set()
        self.token_expires_in = 5_587_808
        self.genres = [{"id": g, "name": n, "slug": re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-")}
                       for g, n in json.loads((DEMO / "genres.json").read_text())["igdb"]]
        self.themes = [{"id": 1, "name": "Action", "slug": "action"}, {"id": 17, "name": "Fantasy", "slug": "fantasy"},
                       {"id": 18, "name": "Science fiction", "slug": "science-fiction"}]
        self.platforms = [{"id": SWITCH_2 if igdb_id is None else igdb_id, "name": name, "abbreviation": abbr,
                           "slug": slug} for igdb_id, name, abbr, slug
                          in json.loads((DEMO / "platforms.json").read_text()).values()]
        self.games: dict[int, dict[str, Any]] = {}
        self.release_dates: list[dict[str, Any]] = []
        if seed:
            self._seed()

    @property
    def url(self) -> str:
        return f"{self.origin}/v4"

    @property
    def token_url(self) -> str:
        return f"{self.origin}/oauth2/token"

    def revoke_tokens(self) -> None:
        self.tokens.clear()

    def error_body(self, status: int) -> Any:
        if status == 429:
            return {"message": "Too Many Requests"}
        return [{"title": "Internal Server Error", "status": status, "cause": "injected failure"}]

    def add_game(self, igdb_id: int, name: str, **fields: Any) -> dict[str, Any]:
        game = {"id": igdb_id, "name": name, "slug": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
                "summary": f"Fake IGDB summary of {name}.", "first_release_date": _ts("2020-01-01"),
                "cover": {"id": igdb_id, "image_id": f"co{igdb_id:x}"}, "total_rating": 60.0 + _noise(igdb_id, 35),
                "total_rating_count": 10 + _noise(igdb_id, 900), "hypes": _noise(igdb_id, 200), "status": 0,
                "genres": [self.genres[0]], "themes": [], "platforms": [], "release_dates": [],
                "franchise": None, "franchises": [], "dlcs": [], "expansions": [], "standalone_expansions": [],
                "similar_games": [], "involved_companies": [], "age_ratings": [], **fields}
        self.games[igdb_id] = game
        return game

    def age_rating(self, igdb_id: int, label: str) -> dict[str, Any]:
        """An /age_ratings object for a label (ESRB "T", PEGI "PEGI 12"), as a game's ``age_ratings`` holds it."""
        category = PEGI if label.startswith("PEGI") else ESRB
        return {"id": igdb_id * 10 + category, "category": category, "rating": RATING_ENUM[label]}

    def add_release_date(self, game_id: int, platform: int | None, day: str | None = None, *,
                         date_format: int = 0, y: int | None = None, m: int | None = None,
                         region: int = 8) -> dict[str, Any]:
        """A /release_dates row. ``date_format`` (formerly ``category``): 0 day, 1 month, 2 year,
        3-6 quarter 1-4, 7 TBD; ``region`` (``release_region``): 1 Europe, 2 North America, 8 worldwide."""
        when = date.fromisoformat(day) if day else None
        year = y if y is not None else (when.year if when else None)
        month = m if m is not None else (when.month if when else None)
        human = day or ("TBD" if date_format == 7 else f"{year}" + (f"-Q{date_format - 2}"
                                                                        if 3 <= date_format <= 6 else ""))
        row = {"id": 700_000 + len(self.release_dates), "game": game_id, "platform": platform,
               "date": _ts(day) if day else None, "y": year, "m": month, "category": date_format,
               "date_format": date_format, "region": region, "release_region": region, "human": human}
        self.release_dates.append(row)
        return row

    def _platform(self, key_slug: str) -> dict[str, Any]:
        return next(p for p in self.platforms if p["slug"] == key_slug)

    def _seed(self) -> None:
        demo_platforms = json.loads((DEMO / "platforms.json").read_text())
        for index, item in enumerate(json.loads((DEMO / "games.json").read_text())):
            igdb_id = item.get("igdb") or 990_000 + index
            released = item.get("date")
            platforms, release_dates, pending = [], [], []
            for spec in item.get("platforms", ()):
                key, when = (spec, released) if isinstance(spec, str) else (spec[0], spec[1])
                platform = self._platform(demo_platforms[key][3])
                platforms.append(platform)
                if when:
                    release_dates.append({"platform": platform["id"], "date": _ts(when), "category": 0})
                    pending.append((platform["id"], when))
            franchise = {"id": 5000 + _noise(item["franchise"], 1000), "name": item["franchise"],
                         "slug": item["franchise"].lower().replace(" ", "-")} if item.get("franchise") else None
            game = self.add_game(
                igdb_id, item["title"], first_release_date=_ts(released),
                genres=[g for g in self.genres if g["id"] in item.get("genres", ())], platforms=platforms,
                release_dates=release_dates, franchise=franchise, franchises=[franchise] if franchise else [],
                involved_companies=[{"company": {"id": 1, "name": item["dev"]}, "developer": True}]
                if item.get("dev") else [],
                age_ratings=[self.age_rating(igdb_id, item["rating"])] if item.get("rating") else [])
            for platform_id, when in pending:
                self.add_release_date(igdb_id, platform_id, when)
            for offset, dlc in enumerate(item.get("dlc", ())):
                addon = self.add_game(995_000 + index * 10 + offset, dlc["title"],
                                      first_release_date=_ts(dlc.get("date")), genres=game["genres"])
                if dlc.get("date"):
                    self.add_release_date(addon["id"], None, dlc["date"])
                game["dlcs" if dlc["kind"] == "dlc" else "expansions"].append(addon["id"])
        pool = list(self.games)
        for igdb_id, game in self.games.items():
            game["similar_games"] = [g for g in pool if g != igdb_id][_noise(igdb_id, 50):][:5]

    # --------------------------------------------------------------- queries

    @staticmethod
    def _statements(body: str) -> dict[str, str]:
        parts = {}
        for statement in body.split(";"):
            statement = statement.strip()
            if statement:
                keyword, _, rest = statement.partition(" ")
                parts[keyword.lower()] = rest.strip()
        return parts

    def _expand(self, game: dict[str, Any], requested: dict[str, set[str]]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": game["id"]}
        for name, subfields in requested.items():
            if name not in game:
                continue
            value = game[name]
            if name in ("dlcs", "expansions", "standalone_expansions", "similar_games") and subfields:
                value = [self._expand(self.games[i], _fields(",".join(subfields))) for i in value if i in self.games]
            out[name] = value
        return out

    def _query(self, items: list[dict[str, Any]], body: str, expand: bool) -> list[dict[str, Any]]:
        parts = self._statements(body)
        if "where" in parts:
            matches = Where(parts["where"]).parse()
            items = [i for i in items if matches(i)]
        if "sort" in parts:
            field_name, _, direction = parts["sort"].partition(" ")
            items = sorted(items, key=lambda i: (i.get(field_name) is None, i.get(field_name) or 0),
                           reverse=direction.strip() == "desc")
            if direction.strip() == "desc":  # keep nulls last either way
                items = [i for i in items if i.get(field_name) is not None] + \
                        [i for i in items if i.get(field_name) is None]
        offset, limit = int(parts.get("offset") or 0), min(500, int(parts.get("limit") or 10))
        items = items[offset:offset + limit]
        requested = _fields(parts.get("fields", "*"))
        if not expand or "*" in requested:
            return items
        return [self._expand(i, requested) for i in items]

    def handle(self, request: Recorded) -> Reply:
        if request.path == "/oauth2/token":
            return self._token(request)
        if request.headers.get("client-id") != self.client_id or \
                request.headers.get("authorization", "").removeprefix("Bearer ") not in self.tokens:
            return Reply(401, {"message": "Authorization Failure. Have you tried:", "Tip 1": "Ensure you are sending "
                               "Authorization and Client-ID as headers.", "Tip 2": "Ensure Authorization value "
                               "starts with 'Bearer ', including the space"})
        endpoint = request.path.removeprefix("/v4/")
        sources = {"games": list(self.games.values()), "genres": self.genres, "themes": self.themes,
                   "platforms": self.platforms, "release_dates": self.release_dates}
        if endpoint not in sources:
            return Reply(404, [{"title": "Not found", "status": 404}])
        return Reply(200, self._query(sources[endpoint], request.body,
                                      expand=endpoint in ("games", "release_dates")))

    def _token(self, request: Recorded) -> Reply:
        query = request.query
        if query.get("grant_type") != "client_credentials" or query.get("client_id") != self.client_id:
            return Reply(400, {"status": 400, "message": "invalid client"})
        if query.get("client_secret") != self.client_secret:
            return Reply(403, {"status": 403, "message": "invalid client secret"})
        token = secrets.token_hex(15)
        self.tokens.add(token)
        return Reply(200, {"access_token": token, "expires_in": self.token_expires_in, "token_type": "bearer"})


def _fields(text: str) -> dict[str, set[str]]:
    """``"name,genres.name,cover.image_id"`` -> ``{"name": set(), "genres": {"name"}, "cover": {"image_id"}}``."""
    requested: dict[str, set[str]] = {}
    for raw in text.split(","):
        name = raw.strip()
        if not name:
            continue
        head, _, rest = name.partition(".")
        requested.setdefault(head, set())
        if rest:
            requested[head].add(rest)
    return requested


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded.fakes.igdb")
    parser.add_argument("--port", type=int, default=18301)
    args = parser.parse_args()
    fake = FakeIgdb(port=args.port)
    print(f"fake IGDB on {fake.url}, Twitch token endpoint {fake.token_url} "
          f"(IGDB_CLIENT_ID={fake.client_id} IGDB_CLIENT_SECRET={fake.client_secret})", flush=True)
    fake._server.serve_forever()


if __name__ == "__main__":
    main()
