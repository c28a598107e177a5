"""A media server's sync stores its listing chunk by chunk while the next pages are read (issue 36's bench goal):
still all or nothing when the server fails halfway, and an episode listed before its show still finds it.

Chunks are made small here so a 2,100-item library spans many of them.
"""

from __future__ import annotations

from typing import Any

import pytest

from embedded.fakes import Recorded, Reply
from embedded.fakes.jellyfin import FakeJellyfin
from embedded.fakes.media_library import generate
from tests.integration import catalog_support as support
from tests.integration.test_media_servers import SETTINGS_KEY, add_server, owned_rows, sync
from tests.integration.tracking_support import Api


class PageFailing(FakeJellyfin):
    """Answers HTTP 500 to the ``fail_page``-th /Items request (counting from 1), then serves normally."""

    fail_page: int | None = None
    pages = 0

    def handle(self, request: Recorded) -> Reply:
        if request.path.rstrip("/").lower() == "/items":
            self.pages += 1
            if self.pages == self.fail_page:
                return Reply(500, {"title": "Internal Server Error", "status": 500})
        return super().handle(request)


class ChildrenFirst(FakeJellyfin):
    """Lists episodes, then seasons, then shows, then movies: a real Jellyfin sorted by name mixes them."""

    def _build(self) -> Any:
        snapshot = super()._build()
        snapshot.entries.reverse()
        return snapshot


@pytest.fixture
def admin(client, make_user, settings_env) -> Api:
    settings_env(SEEN_SETTINGS_KEY=SETTINGS_KEY)
    return Api(client, make_user(role="admin")[1])


@pytest.fixture
def small_chunks(monkeypatch):
    from chalicelib.mediaservers import sync as sync_module

    monkeypatch.setattr(sync_module, "CHUNK", 150)


def catalog_titles() -> int:
    """The catalog's titles of the generated library (its shows' TMDB ids from 800001, its movies' from 900001)."""
    return support.rows("SELECT count(*) AS n FROM media_items WHERE tmdb_id BETWEEN 800001 AND 800100"
                        " OR tmdb_id BETWEEN 900001 AND 900800")[0]["n"]


def test_a_server_failing_after_chunks_were_stored_leaves_no_trace_and_says_why(admin, small_chunks):
    library = generate(movies=800, shows=100, seasons=2, episodes=5)
    fake = PageFailing(library).start()
    try:
        server = add_server(admin, fake)
        fake.fail_page = 4  # three pages, many chunks, matched and written first

        failed = sync(admin, server["id"])

        assert failed["status"] == "failed" and "HTTP 500" in failed["error"], failed
        assert fake.pages >= 4
        assert failed["counts"] == {"added": 0, "updated": 0, "pruned": 0, "unmatched": 0, "failed": 0}
        assert owned_rows(server["id"]) == {} and catalog_titles() == 0  # the titles it added were rolled back

        done = sync(admin, server["id"])
    finally:
        fake.stop()
    assert done["status"] == "completed" and done["counts"]["added"] == library.item_count(), done
    assert len(owned_rows(server["id"])) == library.item_count() and catalog_titles() == 900


def test_episodes_listed_before_their_show_wait_for_it_and_are_linked(admin, small_chunks):
    library = generate(movies=50, shows=60, seasons=2, episodes=5)
    fake = ChildrenFirst(library).start()
    try:
        server = add_server(admin, fake)

        done = sync(admin, server["id"])
    finally:
        fake.stop()
    assert done["status"] == "completed", done
    assert done["counts"] == {"added": library.item_count(), "updated": 0, "pruned": 0, "unmatched": 0,
                              "failed": 0}, done
    rows = owned_rows(server["id"])
    linked = support.rows(
        "SELECT i.item_id, e.media_id AS episode_show, p.media_id AS show_media FROM media_server_items i"
        " JOIN episodes e ON e.id = i.episode_id"
        " JOIN media_server_items p ON p.server_id = i.server_id AND p.item_id = i.parent_item_id"
        " WHERE i.server_id = %(s)s AND i.kind = 'episode'", s=server["id"])
    assert len(linked) == 60 * 10 and all(r["episode_show"] == r["show_media"] for r in linked)
    seasons = [r for r in rows.values() if r["kind"] == "season"]
    assert len(seasons) == 120 and all(r["media_id"] is not None for r in seasons)
