"""IMDb datasets import (issue 23): the fixture set (tests/data/imdb, IMDb's real format) into a fresh
database, re-imports (unchanged, a few rows changed), TMDB-owned titles, malformed and truncated input,
resuming a run that died, and the admin API. Real Postgres; the download path talks HTTP to a local
server serving the fixture files.
"""

from __future__ import annotations

import gzip
import http.server
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import psycopg
import pytest

from chalicelib import db
from chalicelib.imdb import service
from chalicelib.imdb.runs import LOCK_KEY
from tests.integration.tracking_support import Api

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "imdb"
# What the fixture set holds once imported (see tests/data/imdb/generate.py).
EXPECTED = {"movie": 8, "show": 4, "episodes": 4, "seasons": 2, "people": 18, "credits": 22, "ratings": 11}


@pytest.fixture
def imdb_dir(tmp_path: Path) -> Path:
    target = tmp_path / "imdb"
    shutil.copytree(FIXTURES, target, ignore=shutil.ignore_patterns("*.py"))
    return target


def rewrite(directory: Path, name: str, change: Callable[[list[str]], list[str]]) -> None:
    """Edit a dataset file's lines (header included) and gzip it again."""
    path = directory / f"{name}.tsv.gz"
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    path.write_bytes(gzip.compress(("\n".join(change(lines)) + "\n").encode(), mtime=0))


def replace(old: str, new: str) -> Callable[[list[str]], list[str]]:
    return lambda lines: [line.replace(old, new) for line in lines]


def run(directory: Path, **options) -> dict:
    return service.run_import(service.Options(directory=directory, **options))


def one(sql: str, *params) -> dict:
    with db.connection() as conn:
        return conn.execute(sql, params).fetchone()


def catalog_counts() -> dict:
    return one("""SELECT (SELECT count(*) FROM media_items WHERE media_type = 'movie') AS movie,
                         (SELECT count(*) FROM media_items WHERE media_type = 'show') AS show,
                         (SELECT count(*) FROM episodes) AS episodes, (SELECT count(*) FROM seasons) AS seasons,
                         (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM media_credits) AS credits,
                         (SELECT count(*) FROM media_external_ratings) AS ratings""")


def title(imdb_id: str) -> dict:
    return one("SELECT * FROM media_items WHERE imdb_id = %s", imdb_id)


def test_fixture_set_fills_titles_episodes_genres_ratings_people_and_credits(client, auth_headers, imdb_dir):
    with db.connection() as conn:  # TMDB's genre: IMDb's Sci-Fi maps onto it
        conn.execute("INSERT INTO genres (source, external_id, name, slug, media_types)"
                     " VALUES ('tmdb', 878, 'Science Fiction', 'science-fiction', '{movie}')")
    summary = run(imdb_dir)
    assert summary["status"] == "succeeded", summary
    assert catalog_counts() == EXPECTED
    basics = summary["files"]["title.basics"]
    assert (basics["read"], basics["malformed"], basics["inserted"]) == (20, 0, 17)  # 12 titles + 5 episodes
    assert basics["skip_reasons"] == {"type short": 1, "type videoGame": 1, "adult": 1}
    assert summary["files"]["title.episode"]["skip_reasons"] == {"episode without numbers": 1, "unknown show": 1}
    assert summary["files"]["title.principals"]["skipped"] == 2  # unknown person, an episode's principal

    matrix = title("tt0133093")
    assert (matrix["media_type"], matrix["title"], str(matrix["release_date"]), matrix["runtime_minutes"],
            matrix["status"], float(matrix["vote_average"]), matrix["vote_count"]) == (
        "movie", "The Matrix", "1999-01-01", 136, "released", 8.7, 2100000)
    assert title("tt0903747")["status"] == "ended" and title("tt0096697")["status"] is None
    assert title("tt9000001")["media_type"] == "movie"  # tvMovie
    genres = one("""SELECT array_agg(g.source || ':' || g.slug ORDER BY g.slug) AS g FROM media_genres mg
                    JOIN genres g ON g.id = mg.genre_id JOIN media_items m ON m.id = mg.media_id
                    WHERE m.imdb_id = 'tt0133093'""")["g"]
    assert genres == ["imdb:action", "tmdb:science-fiction"]
    assert one("SELECT value, score, votes FROM media_external_ratings r JOIN media_items m ON m.id = r.media_id"
               " WHERE m.imdb_id = 'tt0133093'") == {"value": "8.7/10", "score": 87, "votes": 2100000}
    pilot = one("""SELECT e.season_number, e.episode_number, e.name, e.runtime_minutes, m.imdb_id FROM episodes e
                   JOIN media_items m ON m.id = e.media_id WHERE e.imdb_id = 'tt0959621'""")
    assert pilot == {"season_number": 1, "episode_number": 1, "name": "Pilot", "runtime_minutes": 58,
                     "imdb_id": "tt0903747"}
    neo = one("""SELECT c.kind, c.ordering, c.character, c.source, p.name, p.birth_year, p.known_for_department
                 FROM media_credits c JOIN people p ON p.id = c.person_id JOIN media_items m ON m.id = c.media_id
                 WHERE m.imdb_id = 'tt0133093' AND c.ordering = 1""")
    assert neo == {"kind": "cast", "ordering": 1, "character": "Neo", "source": "imdb", "name": "Keanu Reeves",
                   "birth_year": 1964, "known_for_department": "Acting"}
    writer = one("""SELECT c.kind, c.job, c.department FROM media_credits c JOIN media_items m ON m.id = c.media_id
                    WHERE m.imdb_id = 'tt0133093' AND c.ordering = 6""")
    assert writer == {"kind": "crew", "job": "written by", "department": "Writing"}

    status, data = Api(client, auth_headers())("GET", "/api/v1/search?q=chernobyl")
    assert status == 200, data
    assert "Chernobyl" in [item["title"] for item in data["items"]]


def test_unchanged_reimport_is_skipped_and_writes_nothing(app_db, imdb_dir):
    run(imdb_dir)
    before = one("SELECT max(updated_at) AS t, count(*) AS n FROM media_items")
    summary = run(imdb_dir)
    assert summary["status"] == "skipped"
    assert {f["status"] for f in summary["files"].values()} == {"skipped"}
    assert one("SELECT max(updated_at) AS t, count(*) AS n FROM media_items") == before
    forced = run(imdb_dir, force=True)  # every row read again: still nothing differs
    assert forced["status"] == "succeeded"
    assert all(f["inserted"] == f["updated"] == 0 for f in forced["files"].values()), forced
    assert one("SELECT max(updated_at) AS t, count(*) AS n FROM media_items") == before


def test_reimport_with_a_few_rows_changed_changes_only_those(app_db, imdb_dir):
    run(imdb_dir)
    stamps = {row["imdb_id"]: row["updated_at"] for row in db_rows("SELECT imdb_id, updated_at FROM media_items")}
    rewrite(imdb_dir, "title.basics", replace("\tInception\tInception\t", "\tInception Redux\tInception\t"))
    rewrite(imdb_dir, "title.ratings", replace("tt0133093\t8.7\t2100000", "tt0133093\t8.8\t2100500"))
    rewrite(imdb_dir, "title.principals", replace('["Neo"]', '["Thomas A. Anderson"]'))
    summary = run(imdb_dir)
    files = summary["files"]
    assert files["title.basics"]["updated"] == 1 and files["title.basics"]["inserted"] == 0
    assert files["title.ratings"]["updated"] == 1
    assert files["title.principals"]["updated"] == 6  # The Matrix's six credits, replaced as a set
    assert files["title.episode"]["status"] == files["name.basics"]["status"] == "skipped"
    assert title("tt1375666")["title"] == "Inception Redux"
    assert float(title("tt0133093")["vote_average"]) == 8.8
    changed = {row["imdb_id"] for row in db_rows("SELECT imdb_id, updated_at FROM media_items")
               if row["updated_at"] != stamps[row["imdb_id"]]}
    assert changed == {"tt1375666", "tt0133093"}
    assert one("SELECT character FROM media_credits c JOIN media_items m ON m.id = c.media_id"
               " WHERE m.imdb_id = 'tt0133093' AND ordering = 1")["character"] == "Thomas A. Anderson"
    assert catalog_counts() == EXPECTED


def db_rows(sql: str) -> list[dict]:
    with db.connection() as conn:
        return conn.execute(sql).fetchall()


def test_a_tmdb_title_keeps_its_data_and_credits_and_gains_the_imdb_rating(app_db, imdb_dir):
    with db.connection() as conn:
        media_id = conn.execute(
            "INSERT INTO media_items (media_type, tmdb_id, imdb_id, title, overview, release_date, vote_average,"
            " vote_count) VALUES ('movie', 19995, 'tt0499549', 'Avatar (TMDB)', 'Pandora.', '2009-12-15', 7.6, 30000)"
            " RETURNING id").fetchone()["id"]
        person = conn.execute("INSERT INTO people (tmdb_id, name) VALUES (10205, 'Sigourney Weaver') RETURNING id"
                              ).fetchone()["id"]
        conn.execute("INSERT INTO media_credits (media_id, kind, ordering, person_id, character, source)"
                     " VALUES (%s, 'cast', 0, %s, 'Grace', 'tmdb')", (media_id, person))
    summary = run(imdb_dir)
    assert summary["status"] == "succeeded"
    avatar = title("tt0499549")
    assert avatar["id"] == media_id
    assert (avatar["title"], avatar["overview"], str(avatar["release_date"]), float(avatar["vote_average"]),
            avatar["vote_count"]) == ("Avatar (TMDB)", "Pandora.", "2009-12-15", 7.6, 30000)
    assert avatar["runtime_minutes"] == 162 and avatar["original_title"] == "Avatar"  # gaps filled
    assert db_rows(f"SELECT source, character FROM media_credits WHERE media_id = {media_id}") == [
        {"source": "tmdb", "character": "Grace"}]
    assert one("SELECT value, votes FROM media_external_ratings WHERE media_id = %s", media_id) == {
        "value": "7.9/10", "votes": 1400000}
    assert catalog_counts()["movie"] == EXPECTED["movie"]  # linked by imdb_id, not duplicated


def test_malformed_rows_are_counted_with_samples_and_left_out(app_db, imdb_dir):
    rewrite(imdb_dir, "title.basics", lambda lines: [*lines[:3], "tt0000002\tmovie\tToo Few Columns",
                                                     "xx0000003\tmovie\tBad Id\tBad Id\t0\t2000\t\\N\t90\tDrama",
                                                     "tt0000004\tmovie\tBad Year\tBad Year\t0\tabcd\t\\N\t90\tDrama",
                                                     *lines[3:]])
    rewrite(imdb_dir, "title.ratings", lambda lines: [*lines, "tt9000001\t11.5\t20", "tt9000002\t7.0\tmany"])
    summary = run(imdb_dir)
    basics, ratings = summary["files"]["title.basics"], summary["files"]["title.ratings"]
    assert (basics["read"], basics["malformed"]) == (23, 3)
    assert len(basics["samples"]) == 3 and "Too Few Columns" in basics["samples"][0]
    assert ratings["malformed"] == 2
    assert catalog_counts() == EXPECTED
    assert one("SELECT count(*) AS n FROM media_items WHERE imdb_id IN ('tt0000002', 'tt0000004')")["n"] == 0


def test_a_truncated_file_fails_the_run_without_applying_the_batch_in_flight(app_db, imdb_dir):
    path = imdb_dir / "title.basics.tsv.gz"
    path.write_bytes(path.read_bytes()[:-40])
    summary = run(imdb_dir)
    assert summary["status"] == "failed" and "Truncated" in summary["error"]
    basics = summary["files"]["title.basics"]
    assert basics["status"] == "failed" and basics["malformed"] == 1
    assert "truncated gzip stream" in basics["samples"][-1]
    assert catalog_counts()["movie"] == 0  # the file fitted one batch: none of it applied
    shutil.copy(FIXTURES / "title.basics.tsv.gz", path)
    assert run(imdb_dir)["status"] == "succeeded"
    assert catalog_counts() == EXPECTED


def with_segment_starts(lines: list[str]) -> list[str]:
    """Principals of two unknown titles whose ids end in 0: each starts a segment, so the file has three."""
    extra = {"tt0468569": "tt0200000\t1\tnm0000206\tactor\t\\N\t[\"Nobody\"]",
             "tt0816692": "tt0700000\t1\tnm0000206\tactor\t\\N\t[\"Nobody\"]"}
    out: list[str] = []
    for line in lines:
        key = line.split("\t", 1)[0]
        if key in extra:
            out.append(extra.pop(key))
        out.append(line)
    return out


def test_a_run_that_died_continues_after_its_last_committed_batch(app_db, imdb_dir):
    rewrite(imdb_dir, "title.principals", with_segment_starts)
    batches: list[tuple[str, int]] = []

    def die_in_principals(run_) -> None:
        batches.append((run_.current_file, run_.rows_done))
        if run_.current_file == "title.principals":  # after its first batch (segment) committed
            raise RuntimeError("killed")

    died = service.run_import(service.Options(directory=imdb_dir, batch_rows=4), on_batch=die_in_principals)
    assert died["status"] == "failed" and "killed" in died["error"]
    assert died["files"]["title.principals"]["status"] == "failed"
    partial_credits = catalog_counts()["credits"]
    assert 0 < partial_credits < EXPECTED["credits"]

    resumed = run(imdb_dir, batch_rows=4)
    assert resumed["status"] == "succeeded"
    assert [resumed["files"][n]["status"] for n in ("title.basics", "name.basics")] == ["skipped", "skipped"]
    principals = resumed["files"]["title.principals"]
    assert principals["unchanged"] > 0 and principals["inserted"] == EXPECTED["credits"] - partial_credits
    assert catalog_counts() == EXPECTED
    forced = run(imdb_dir, force=True)  # equal to a clean import: a full re-read finds nothing to change
    assert all(f["inserted"] == f["updated"] == 0 for f in forced["files"].values()), forced


def test_a_run_out_of_time_stops_between_batches_and_the_next_one_finishes(app_db, imdb_dir):
    stopped = run(imdb_dir, deadline=time.monotonic() - 1)
    assert stopped["status"] == "partial" and stopped["files"]["title.ratings"]["status"] == "partial"
    assert catalog_counts()["movie"] == 0
    assert run(imdb_dir)["status"] == "succeeded"
    assert catalog_counts() == EXPECTED


# --- admin API


@pytest.fixture
def datasets_server(imdb_dir: Path, tmp_path: Path, monkeypatch) -> Iterator[str]:
    """A local HTTP server serving the fixture files as the datasets site."""
    from chalicelib.config.imdb import get_imdb_settings

    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(imdb_dir))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    monkeypatch.setenv("SEEN_IMDB_DATASETS_URL", url)
    monkeypatch.setenv("SEEN_IMDB_DOWNLOAD_DIR", str(tmp_path / "downloads"))
    get_imdb_settings.cache_clear()
    get_imdb_settings()
    yield url
    server.shutdown()
    get_imdb_settings.cache_clear()


def wait_until_idle(admin: Api, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, data = admin("GET", "/api/v1/admin/imdb")
        assert status == 200, data
        if not data["running"]:
            return data
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/v1/admin/imdb"), ("POST", "/api/v1/admin/imdb/import")])
def test_imdb_admin_routes_are_403_for_a_user(client, auth_headers, method, path):
    status, data = Api(client, auth_headers())(method, path, {} if method == "POST" else None)
    assert status == 403, data


def test_admin_starts_an_import_and_follows_its_progress(client, auth_headers, datasets_server, tmp_path):
    admin = Api(client, auth_headers(role="admin"))
    status, data = admin("POST", "/api/v1/admin/imdb/import", {})
    assert status == 202, data
    run_id = data["runId"]
    done = wait_until_idle(admin)
    last = done["runs"][0]
    assert (last["id"], last["status"], last["trigger"], last["currentFile"]) == (run_id, "succeeded", "admin", None)
    assert last["rowsDone"] == 81 and last["finishedAt"]
    assert last["files"]["title.basics"] == {**last["files"]["title.basics"], "status": "done", "read": 20,
                                             "inserted": 17, "malformed": 0}
    assert {f["name"] for f in done["files"]} == set(last["files"])
    assert done["current"] is None
    assert catalog_counts() == EXPECTED
    assert not list((tmp_path / "downloads").glob("*.gz"))  # downloads are removed after use


def test_a_second_import_while_one_holds_the_lock_is_409(client, auth_headers, app_db, imdb_dir):
    admin = Api(client, auth_headers(role="admin"))
    run(imdb_dir, trigger="cli")
    with psycopg.connect(app_db, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        status, data = admin("POST", "/api/v1/admin/imdb/import", {})
        assert status == 409 and data["error"]["code"] == "imdb_import_running"
        with pytest.raises(service.ImportRunning):
            run(imdb_dir)
        status, data = admin("GET", "/api/v1/admin/imdb")
        assert status == 200 and data["running"] is True
    status, data = admin("GET", "/api/v1/admin/imdb")
    assert data["running"] is False and data["runs"][0]["status"] == "succeeded"
    assert data["runs"][0]["files"]["title.principals"]["inserted"] == EXPECTED["credits"]
