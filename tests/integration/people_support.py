"""Row factories for people, credits and ratings from elsewhere (issue 23), straight into Postgres.

The tests seed their own people: they depend on the schema (migration 0018), not on the demo catalog
or the TMDB/IMDb imports that fill these tables in production.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg


class People:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def person(self, name: str, **extra: Any) -> int:
        values = {"name": name, **extra}
        columns = ", ".join(values)
        params = ", ".join(f"%({key})s" for key in values)
        return self.conn.execute(f"INSERT INTO people ({columns}) VALUES ({params}) RETURNING id",
                                 values).fetchone()["id"]

    def credit(self, media_id: int, person_id: int, kind: str = "cast", ordering: int = 0, *,
               character: str | None = None, job: str | None = None, department: str | None = None,
               source: str = "tmdb") -> None:
        self.conn.execute(
            "INSERT INTO media_credits (media_id, kind, ordering, person_id, character, job, department, source) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (media_id, kind, ordering, person_id, character, job, department, source))

    def rating(self, media_id: int, source: str, value: str, score: float | None = None,
               votes: int | None = None) -> None:
        self.conn.execute("INSERT INTO media_external_ratings (media_id, source, value, score, votes) "
                          "VALUES (%s, %s, %s, %s, %s)", (media_id, source, value, score, votes))


def counting_statements(monkeypatch) -> list[str]:
    """Every statement any connection sends from now on (instrumentation, not a fake)."""
    sent: list[str] = []
    original = psycopg.Cursor.execute

    def counting(self, query, params=None, **kwargs):
        sent.append(str(query))
        return original(self, query, params, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counting)
    return sent


def sql(sent: list[str]) -> list[str]:
    """The statements that reach Postgres as SQL (the pool's empty health checks left out)."""
    return [s for s in sent if s.strip()]


def body(response: Any) -> Any:
    return json.loads(response.body) if response.body else None
