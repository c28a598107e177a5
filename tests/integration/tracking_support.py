"""Factories and helpers shared by the tracking tests.

``Catalog(conn)`` inserts users, movies, shows (with seasons and episodes) and
games straight into Postgres: the tracking tests do not depend on the
catalog package, only on the schema.
"""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import date, timedelta
from typing import Any

import psycopg

_ids = itertools.count(1)
TODAY = date.today()


class Catalog:
    """Row factories on one connection (the rolled-back ``conn`` or an app database)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def _one(self, sql: str, params: dict[str, Any]) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row["id"] if isinstance(row, dict) else row[0]

    def user(self, email: str | None = None) -> uuid.UUID:
        email = email or f"tracking-{uuid.uuid4().hex[:10]}@seen.test"
        return self._one("INSERT INTO users (email, password_hash) VALUES (%(email)s, 'x') RETURNING id",
                         {"email": email})

    def media(self, media_type: str, title: str | None = None, **extra: Any) -> int:
        n = next(_ids)
        values = {"media_type": media_type, "title": title or f"{media_type.title()} {n}",
                  "release_date": extra.pop("release_date", date(2001, 1, 1 + n % 28)),
                  "poster_path": extra.pop("poster_path", f"/poster-{n}.jpg"), "status": extra.pop("status", None)}
        values.update(extra)
        columns = ", ".join(values)
        params = ", ".join(f"%({key})s" for key in values)
        return self._one(f"INSERT INTO media_items ({columns}) VALUES ({params}) RETURNING id", values)

    def movie(self, title: str | None = None, **extra: Any) -> int:
        return self.media("movie", title, **extra)

    def game(self, title: str | None = None, **extra: Any) -> int:
        return self.media("game", title, **extra)

    def show(self, seasons: dict[int, int] | None = None, *, title: str | None = None, status: str = "ended",
             unaired: dict[int, int] | None = None) -> tuple[int, dict[tuple[int, int], int]]:
        """A show with ``{season: aired episode count}`` (default S1: 3, S2: 2) plus ``unaired`` ones
        (air date in the future). Returns (show id, {(season, episode): episode id})."""
        show_id = self.media("show", title, status=status)
        episodes: dict[tuple[int, int], int] = {}
        counts = seasons if seasons is not None else {1: 3, 2: 2}
        for number in sorted(set(counts) | set(unaired or {})):
            season_id = self._one(
                "INSERT INTO seasons (media_id, season_number, name) VALUES (%(m)s, %(s)s, %(name)s) RETURNING id",
                {"m": show_id, "s": number, "name": f"Season {number}"})
            aired = counts.get(number, 0)
            for episode in range(1, aired + (unaired or {}).get(number, 0) + 1):
                air = TODAY - timedelta(days=400 - number * 30 - episode) if episode <= aired else \
                    TODAY + timedelta(days=7 * episode)
                episodes[(number, episode)] = self._one(
                    "INSERT INTO episodes (media_id, season_id, season_number, episode_number, name, air_date) "
                    "VALUES (%(m)s, %(sid)s, %(s)s, %(e)s, %(name)s, %(air)s) RETURNING id",
                    {"m": show_id, "sid": season_id, "s": number, "e": episode, "name": f"Episode {episode}",
                     "air": air})
        return show_id, episodes

    def platform(self, name: str = "PC") -> int:
        n = next(_ids)
        return self._one("INSERT INTO platforms (name, slug) VALUES (%(name)s, %(slug)s) RETURNING id",
                         {"name": name, "slug": f"platform-{n}"})

    def threshold(self, user_id: uuid.UUID, percent: int) -> None:
        self.conn.execute("INSERT INTO user_preferences (user_id, watched_threshold_percent) VALUES (%s, %s)",
                          (user_id, percent))

    def count(self, table: str, user_id: uuid.UUID) -> int:
        row = self.conn.execute(f"SELECT count(*) AS n FROM {table} WHERE user_id = %s", (user_id,)).fetchone()
        return row["n"] if isinstance(row, dict) else row[0]


class CountingCursor(psycopg.Cursor):
    """Counts statements sent through cursors of a connection (``conn.cursor_factory = CountingCursor``)."""

    statements: list[str] = []

    def execute(self, query, params=None, **kwargs):
        CountingCursor.statements.append(str(query))
        return super().execute(query, params, **kwargs)


class Api:
    """JSON calls through chalice.test.Client with one user's headers."""

    def __init__(self, client: Any, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers

    def __call__(self, method: str, path: str, body: Any = None, raw: str | None = None) -> tuple[int, Any]:
        payload = raw if raw is not None else ("" if body is None else json.dumps(body))
        kwargs = {"headers": self.headers}
        if method in ("POST", "PUT", "PATCH"):
            kwargs["body"] = payload
        response = getattr(self.client.http, method.lower())(path, **kwargs)
        data = json.loads(response.body) if response.body else None
        return response.status_code, data


def code(data: dict[str, Any]) -> str:
    return data["error"]["code"]
