"""Matching parsed rows to the catalog, set-based in Postgres (see the ``imports_match_*`` queries).

Order of trust: an episode's IMDb id, the title's IMDb id, TMDB id, IGDB id, the exporting /seen/
instance's own id (when type and title agree), the exact title with the year within one, and last a
trigram similarity of at least 0.8 with the same year rule. Episodes are then found by show, season and
number. Each step only touches rows still unmatched, and titles are looked up once per distinct
(type, title, year), so a 100k-line history of a few hundred shows costs a few hundred lookups.

The exact steps are one index lookup per key and run in one go; the trigram step is a GIN search per
key (milliseconds each), so it goes ``TRIGRAM_KEYS`` keys per transaction and the job can hand over
between them. Every step is safe to run again (a redelivered job repeats only what is left).
"""

from __future__ import annotations

from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.imports import queries

TRIGRAM_KEYS = 500


def analyze() -> None:
    """Refresh the row statistics after a bulk insert (in its own short transaction)."""
    with db.connection() as conn:
        queries.analyze_rows(conn)


def match_exact(conn: Conn, import_id: UUID) -> None:
    """Ids, then exact titles: every pending row that has one gets its title."""
    queries.match_exact(conn, import_id=import_id)


def match_fuzzy(conn: Conn, import_id: UUID) -> int:
    """Trigram-match the next keys still without a title; the rows touched (0: nothing left).

    Call inside a transaction: the trigram threshold is set for that transaction only.
    """
    return queries.match_trigram(conn, import_id=import_id, size=TRIGRAM_KEYS)


def settle(conn: Conn, import_id: UUID) -> None:
    """Episodes by show, season and number; then every pending row is matched or unmatched (with a reason)."""
    queries.match_episodes(conn, import_id=import_id)
    queries.match_settle(conn, import_id=import_id)


def match(conn: Conn, import_id: UUID) -> None:
    """Match every pending row of an import in one go (small imports, tests)."""
    match_exact(conn, import_id)
    while match_fuzzy(conn, import_id):
        pass
    settle(conn, import_id)
