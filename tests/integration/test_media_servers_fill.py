"""The catalog fill after a media server sync (issue 36): a sync of a library whose titles the catalog lacks is
completed once its mirror is written, and the fill right after adds the titles from the server's facts and links
the rows with their seasons and episodes; a fill cut short is taken up by the redelivered message, and one more
delivery changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from embedded.fakes.jellyfin import FakeJellyfin
from embedded.fakes.media_library import generate
from tests.integration import catalog_support as support
from tests.integration.downloads_support import drain_queue
from tests.integration.test_media_servers import SETTINGS_KEY, V1, add_server, owned_rows
from tests.integration.tracking_support import Api


@pytest.fixture
def admin(client, make_user, settings_env) -> Api:
    settings_env(SEEN_SETTINGS_KEY=SETTINGS_KEY)
    return Api(client, make_user(role="admin")[1])


@pytest.fixture
def small_fill(monkeypatch):
    from chalicelib.mediaservers import fill

    monkeypatch.setattr(fill, "CHUNK", 100)
    monkeypatch.setattr(fill, "STALE_SECONDS", 0)  # a fill cut short is taken up by the very next delivery


def queued_sync(admin: Api, server_id: str) -> list[dict[str, str]]:
    """Ask for a sync; the imports queue's message as the consumer's records (delivered as often as wanted)."""
    from chalicelib.config import get_aws_settings

    status, started = admin("POST", f"{V1}/{server_id}/sync")
    assert status == 202, started
    messages = drain_queue(get_aws_settings().imports_queue)
    assert [json.loads(m["Body"])["type"] for m in messages] == ["media_servers.sync"]
    return [{"messageId": m["MessageId"], "body": m["Body"]} for m in messages]


def unlinked(server_id: str) -> dict[str, int]:
    rows = support.rows("SELECT kind, count(*) AS n FROM media_server_items WHERE server_id = %(s)s AND"
                        " (CASE WHEN kind = 'episode' THEN episode_id IS NULL ELSE media_id IS NULL END)"
                        " GROUP BY kind", s=server_id)
    return {row["kind"]: row["n"] for row in rows}


def fill_state(server_id: str) -> dict[str, Any]:
    return support.rows("SELECT status, unmatched, filled_at FROM media_server_syncs WHERE server_id = %(s)s",
                        s=server_id)[0]


def test_a_fill_cut_short_is_taken_up_by_the_redelivered_message_and_a_third_delivery_changes_nothing(
        admin, small_fill, monkeypatch):
    from chalicelib.imports import handlers
    from chalicelib.mediaservers import queries

    # 300 movies and 20 shows the catalog lacks (more than a sync adds itself), 2 seasons x 3 episodes a show.
    library = generate(movies=300, shows=20, seasons=2, episodes=3, seed=11)
    fake = FakeJellyfin(library).start()
    try:
        server = add_server(admin, fake)
        records = queued_sync(admin, server["id"])
        link, seen = queries.items_link, []

        def dies_at_the_third_chunk(conn: Any, **kwargs: Any) -> int:
            seen.append((fill_state(server["id"])["status"], dict(unlinked(server["id"]))))
            if len(seen) == 3 and not getattr(dies_at_the_third_chunk, "revived", False):
                raise RuntimeError("the consumer's process died")
            return link(conn, **kwargs)

        monkeypatch.setattr(queries, "items_link", dies_at_the_third_chunk)

        assert len(handlers.handle_batch(records)["batchItemFailures"]) == 1  # redelivered

        # The sync was completed, every item stored, before the fill linked anything.
        status, before_fill = seen[0]
        assert status == "completed", seen[0]
        assert before_fill == {"movie": 300, "show": 20, "season": 40, "episode": 120}, seen[0]
        state = fill_state(server["id"])
        assert state["status"] == "completed" and state["filled_at"] is None, state
        left = unlinked(server["id"])
        assert left.get("movie", 0) + left.get("show", 0) == 320 - 200, left  # two chunks of 100 were linked

        dies_at_the_third_chunk.revived = True  # type: ignore[attr-defined]
        assert handlers.handle_batch(records) == {"batchItemFailures": []}
    finally:
        fake.stop()

    assert unlinked(server["id"]) == {}  # every title, season and episode linked
    state = fill_state(server["id"])
    assert state["filled_at"] is not None and state["unmatched"] == 0, state
    status, body = admin("GET", f"{V1}/{server['id']}/sync")
    assert status == 200 and body["counts"]["added"] == library.item_count() and body["counts"]["unmatched"] == 0
    rows = owned_rows(server["id"])
    show = next(iter(library.shows.values()))
    show_id = rows[show.item_id]["media_id"]
    assert support.rows("SELECT tmdb_id FROM media_items WHERE id = %(m)s", m=show_id)[0]["tmdb_id"] == show.tmdb
    episodes = support.rows("SELECT e.media_id, e.season_number, e.episode_number FROM media_server_items i"
                            " JOIN episodes e ON e.id = i.episode_id WHERE i.server_id = %(s)s"
                            " AND i.parent_item_id = %(p)s", s=server["id"], p=show.item_id)
    assert sorted((e["season_number"], e["episode_number"]) for e in episodes) == [
        (season.number, ep.number) for season in show.seasons for ep in season.episodes]
    assert {e["media_id"] for e in episodes} == {show_id}

    written = support.rows("SELECT max(updated_at) AS at FROM media_server_items WHERE server_id = %(s)s",
                           s=server["id"])[0]["at"]
    assert handlers.handle_batch(records) == {"batchItemFailures": []}  # one more delivery: nothing to do
    assert support.rows("SELECT max(updated_at) AS at FROM media_server_items WHERE server_id = %(s)s",
                        s=server["id"])[0]["at"] == written
    assert fill_state(server["id"])["filled_at"] == state["filled_at"]
