"""Loading the bundled demo catalog and the curated collections into Postgres."""

from __future__ import annotations

from datetime import date


def counts(conn) -> dict[str, int]:
    tables = ("media_items", "seasons", "episodes", "genres", "media_genres", "platforms", "media_platforms",
              "franchises", "media_franchises", "media_relations", "discover_sections", "discover_section_items")
    return {t: conn.execute(f"SELECT count(*) AS n FROM {t}").fetchone()["n"] for t in tables}


def test_loading_the_demo_catalog_twice_changes_nothing(conn):
    from chalicelib.catalog import demo

    demo.load(conn)
    first = counts(conn)
    ids = conn.execute("SELECT id, media_type, title FROM media_items ORDER BY id").fetchall()

    stats = demo.load(conn)

    assert counts(conn) == first
    assert conn.execute("SELECT id, media_type, title FROM media_items ORDER BY id").fetchall() == ids
    assert stats["titles"] == first["media_items"]


def test_the_demo_catalog_has_real_titles_of_every_kind(conn):
    from chalicelib.catalog import demo

    demo.load(conn)
    by_type = {r["media_type"]: r["n"] for r in conn.execute(
        "SELECT media_type, count(*) AS n FROM media_items WHERE is_demo GROUP BY 1")}
    assert sum(by_type.values()) >= 300 and by_type["movie"] >= 150
    assert by_type["show"] >= 70 and by_type["game"] >= 80
    assert conn.execute("SELECT count(*) AS n FROM media_items WHERE NOT is_demo").fetchone()["n"] == 0

    matrix = conn.execute("SELECT * FROM media_items WHERE title = 'The Matrix'").fetchall()
    assert len(matrix) == 1 and matrix[0]["year"] == 1999 and matrix[0]["tmdb_id"] == 603

    shows_without_episodes = conn.execute(
        "SELECT count(*) AS n FROM media_items m WHERE media_type = 'show' "
        "AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.media_id = m.id)").fetchone()["n"]
    assert shows_without_episodes == 0
    games_without_platforms = conn.execute(
        "SELECT count(*) AS n FROM media_items m WHERE media_type = 'game' "
        "AND NOT EXISTS (SELECT 1 FROM media_platforms p WHERE p.media_id = m.id)").fetchone()["n"]
    assert games_without_platforms <= 2  # add-ons released before any known platform date


def test_upcoming_titles_and_ongoing_shows_are_there_for_the_calendar(conn):
    from chalicelib.catalog import demo

    demo.load(conn, today=date(2026, 11, 22))
    upcoming = conn.execute("SELECT title FROM media_items WHERE release_date > '2026-11-22'").fetchall()
    assert len(upcoming) >= 5
    returning = conn.execute("SELECT count(*) AS n FROM media_items WHERE status = 'returning'").fetchone()["n"]
    assert returning >= 10


def test_derived_values_are_marked_as_derived(conn):
    from chalicelib.catalog import demo

    demo.load(conn)
    show = conn.execute("SELECT extra FROM media_items WHERE title = 'Breaking Bad'").fetchone()
    assert {"episode_air_dates", "episode_runtimes", "popularity"} <= set(show["extra"]["derived"])
    citygod = conn.execute("SELECT release_date, extra FROM media_items WHERE title = 'City of God'").fetchone()
    assert citygod["release_date"] == date(2002, 1, 1) and citygod["extra"]["release_precision"] == "year"
    assert "release_date" in citygod["extra"]["derived"]


def test_demo_rows_are_discover_sections(conn):
    from chalicelib.catalog import demo

    demo.load(conn)
    rows = conn.execute("SELECT s.key, count(d.media_id) AS n FROM discover_sections s "
                        "LEFT JOIN discover_section_items d ON d.section_id = s.id "
                        "WHERE s.source = 'demo' GROUP BY s.key").fetchall()
    assert len(rows) >= 6 and all(r["n"] > 0 for r in rows)


def test_curated_collections_become_rows_and_removed_ones_are_disabled(conn, monkeypatch):
    from chalicelib.catalog import curated, demo

    demo.load(conn)
    counts_by_key = curated.refresh(conn)
    assert counts_by_key["curated.animated-adventures"] > 0
    animated = conn.execute(
        "SELECT m.title FROM discover_section_items d JOIN discover_sections s ON s.id = d.section_id "
        "JOIN media_items m ON m.id = d.media_id WHERE s.key = 'curated.animated-adventures'").fetchall()
    assert "Spirited Away" in {r["title"] for r in animated}

    kept = curated.collections()[:1]
    monkeypatch.setattr(curated, "collections", lambda: kept)
    curated.refresh(conn)
    enabled = conn.execute("SELECT key FROM discover_sections WHERE source = 'curated' AND is_enabled").fetchall()
    assert [r["key"] for r in enabled] == [kept[0].key]
