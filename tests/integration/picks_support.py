"""Shared by the picks, wanted, monitor and get-pipeline tests: a signed-in user, an admin who registers
fake Torznab indexers, catalog rows, and a linked download's files indexed as the scanner reports them.

Test modules use them through thin fixtures of their own::

    @pytest.fixture
    def world(client, make_user, settings_env):
        return make_world(client, make_user, settings_env)
"""

from __future__ import annotations

from typing import Any

from chalicelib import db
from tests.integration.sources_support import register_indexer, use_sources
from tests.integration.tracking_support import Api, Catalog


class World:
    """The user's API, an admin's API, catalog rows and a way to put fake indexers behind the search."""

    def __init__(self, client: Any, make_user: Any) -> None:
        self.client = client
        self.admin = Api(client, make_user(role="admin")[1])
        self.user_id, headers = make_user()
        self.user = Api(client, headers)
        self.make_user = make_user

    def other_user(self) -> Api:
        return Api(self.client, self.make_user()[1])

    def indexer(self, fake: Any, name: str = "Fake") -> dict[str, Any]:
        return register_indexer(self.client, self.admin.headers, fake, name)

    def sql(self, statement: str, *params: Any) -> list[dict[str, Any]]:
        with db.connection() as conn:
            cursor = conn.execute(statement, params)
            return list(cursor.fetchall()) if cursor.description else []

    def movie(self, title: str, runtime: int = 120) -> int:
        with db.connection() as conn:
            return Catalog(conn).movie(title, runtime_minutes=runtime)

    def show(self, title: str, seasons: dict[int, int], unaired: dict[int, int] | None = None,
             runtime: int = 45) -> tuple[int, dict[tuple[int, int], int]]:
        with db.connection() as conn:
            show_id, episodes = Catalog(conn).show(seasons, title=title, unaired=unaired)
            conn.execute("UPDATE media_items SET runtime_minutes = %s WHERE id = %s", (runtime, show_id))
        return show_id, episodes


def make_world(client: Any, make_user: Any, settings_env: Any) -> World:
    """For a module's ``world`` fixture: the source search configured, an admin and a user signed in."""
    use_sources(settings_env)
    return World(client, make_user)


def linked_job(world: World, media_id: int, season: int | None = None, episode: int | None = None) -> Any:
    """A completed download job of the user linked to a title (as a pick makes it); returns its id."""
    [row] = world.sql(
        "INSERT INTO download_jobs (user_id, source_type, source, title, status, progress, completed_at, "
        "ended_at, media_id, season, episode) VALUES (%s, 'magnet', %s, 'linked', 'completed', 100, now(), "
        "now(), %s, %s, %s) RETURNING id", world.user_id, "magnet:?xt=urn:btih:" + "ab" * 20, media_id, season,
        episode)
    return row["id"]


def index_files(client: Any, job_id: Any, paths: list[str]) -> dict[str, Any]:
    """The scanner's ``library.files_indexed`` for files of a download, through the app's SQS handler."""
    from chalicelib.config import get_aws_settings
    from chalicelib.library.naming import parse_many
    from chalicelib.messages import IndexedStream, LibraryFileIndexed, LibraryFilesIndexed

    guesses = parse_many(paths)
    files = [LibraryFileIndexed(key=f"downloads/{job_id}/{path}", path=f"/staging/{job_id}/{path}", size=1234,
                                source_job_id=str(job_id) if job_id else None, guess=guesses[path],
                                streams=[IndexedStream(kind="original", key=f"downloads/{job_id}/{path}",
                                                       mime_type="video/x-matroska", container="matroska",
                                                       size=1234)])
             for path in paths]
    event = client.events.generate_sqs_event(message_bodies=[LibraryFilesIndexed(files=files).to_json()],
                                             queue_name=get_aws_settings().events_queue)
    return client.lambda_.invoke("worker_events", event).payload


def library_rows(world: World, job_id: Any) -> dict[str, dict[str, Any]]:
    """The library items of a job's files by file name: match state, confidence, media and episode."""
    rows = world.sql("SELECT li.file_name, li.match_state, li.match_confidence, li.media_id, e.season_number, "
                     "e.episode_number FROM library_items li LEFT JOIN episodes e ON e.id = li.episode_id "
                     "WHERE li.source_job_id = %s", job_id)
    return {r["file_name"]: r for r in rows}
