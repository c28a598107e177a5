"""Matching parsed rows to the catalog, set-based in Postgres (see the ``imports_match_*`` queries).

Order of trust: an episode's IMDb id, the title's IMDb id, TMDB id, IGDB id, the exporting /seen/
instance's own id (when type and title agree), the exact title with the year within one, and last a
trigram similarity of at least 0.8 with the same year rule. Episodes are then found by show, season and
number. Each step only touches rows still unmatched, and titles are looked up once per distinct
(type, title, year), so a 100k-line history of a few hundred shows costs a few hundred lookups.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib import db

STEPS = ("imports_match_episode_imdb", "imports_match_imdb", "imports_match_tmdb", "imports_match_igdb",
         "imports_match_hint", "imports_match_title")


def match(conn: Any, import_id: UUID) -> None:
    """Match every pending row of an import and settle it as matched or unmatched (with a reason).

    Call inside a transaction: the trigram threshold is set for that transaction only.
    """
    q = db.queries()
    for step in STEPS:
        getattr(q, step)(conn, import_id=import_id)
    q.imports_trigram_threshold(conn)
    q.imports_match_trigram(conn, import_id=import_id)
    q.imports_match_episodes(conn, import_id=import_id)
    q.imports_match_settle(conn, import_id=import_id)
