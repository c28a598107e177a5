"""The one-time import of a user's played state from a linked media server (run by the imports consumer).

The server is asked, with the user's own token, what the user played and where they stopped. Each item is
mapped to the catalog through what the server's sync mirrored (``media_server_items``: item id -> title and
episode); an item the sync did not match is counted as unmatched. Watches and resume points go through the
tracking service's own functions, so they read as if marked or played here. Running it again adds nothing
twice: a watch is added only when the user's history holds none within ``SAME_PLAY_SECONDS`` of the server's
date (the same play, perhaps already scrobbled by the webhook when it ended), or none at all when the server
gives no date; a resume point is an upsert. A redelivered message finds its import finished and does nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from uuid import UUID

from chalicelib import cache, db, errors
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.mediaaccounts import queries
from chalicelib.mediaaccounts.clients import JellyfinAccount, PlayedState
from chalicelib.mediaaccounts.queries import AccountRow, LinkedItemRow
from chalicelib.mediaaccounts.service import IMPORT_STALE_SECONDS, account_client
from chalicelib.mediaservers.errors import ServerFailed
from chalicelib.tracking import history, progress
from chalicelib.tracking.schemas import MAX_SECONDS, MIN_DURATION, HeartbeatIn

SAME_PLAY_SECONDS = 12 * 3600  # a watch this close to the server's date is that play, not another one
BATCH = 500
MAX_STATES = 200_000  # like the sync: a larger history is refused rather than held in memory


@dataclass
class Counts:
    watched: int = 0
    in_progress: int = 0
    unmatched: int = 0


def run(user_id: UUID, server_id: UUID) -> Counts | None:
    """Import the link's played state; None when there is nothing to do (finished, running elsewhere, gone)."""
    with db.connection() as conn:
        started = queries.import_start(conn, user_id=user_id, server_id=server_id, stale_seconds=IMPORT_STALE_SECONDS)
        account = queries.account(conn, user_id=user_id, server_id=server_id) if started else None
    if account is None:
        return None
    counts = Counts()
    try:
        states = _read(account)
        for start in range(0, len(states), BATCH):
            with db.transaction() as conn:
                _apply(conn, account, states[start:start + BATCH], counts)
    except ServerFailed as exc:
        return _finish(account, "failed", counts, str(exc))
    except Exception:
        get_logger().exception("media server account import failed", extra={
            "action": "media_server_account_import_error", "user_id": str(user_id), "server_id": str(server_id)})
        return _finish(account, "failed", counts, "The import stopped on an internal error; it is logged")
    if counts.watched or counts.in_progress:
        cache.on_progress_changed(user_id)
        cache.on_taste_changed(user_id)
        cache.on_follows_changed(user_id)
    return _finish(account, "completed", counts, None)


def _read(account: AccountRow) -> list[PlayedState]:
    """Every played or unfinished item, read whole before anything is written; an item listed twice (played,
    and being watched again) keeps both facts."""
    found: dict[str, PlayedState] = {}
    with account_client(account) as (client, _token):
        states = client.played(account["remote_user_id"], _token) if isinstance(client, JellyfinAccount) \
            else client.played()
        for state in states:
            seen = found.get(state.item_id)
            found[state.item_id] = state if seen is None else PlayedState(
                item_id=state.item_id, watched=seen.watched or state.watched,
                last_played=seen.last_played or state.last_played, position=state.position or seen.position,
                duration=state.duration or seen.duration)
            if len(found) > MAX_STATES:
                raise ServerFailed(f"The account has played more than {MAX_STATES:,} items; /seen/ imports at most "
                                   "that")
    return list(found.values())


def _apply(conn: Conn, account: AccountRow, states: list[PlayedState], counts: Counts) -> None:
    links = {row["item_id"]: row for row in queries.items_linked(
        conn, server_id=account["server_id"], item_ids=[s.item_id for s in states])}
    for state in states:
        link = links.get(state.item_id)
        if link is None or not _matched(link):
            counts.unmatched += 1
            continue
        assert link["media_id"] is not None  # _matched
        episode_id = link["episode_id"] if link["kind"] == "episode" else None
        try:
            if state.watched and _add_watch(conn, account["user_id"], link["media_id"], episode_id, state):
                counts.watched += 1
            if _resume(conn, account["user_id"], link["media_id"], episode_id, state):
                counts.in_progress += 1
        except errors.DomainError:  # the catalog says the link is not a movie or that show's episode
            counts.unmatched += 1


def _matched(link: LinkedItemRow) -> bool:
    if link["kind"] == "movie":
        return link["media_id"] is not None
    return link["kind"] == "episode" and link["media_id"] is not None and link["episode_id"] is not None


def _add_watch(conn: Conn, user_id: UUID, media_id: int, episode_id: int | None, state: PlayedState) -> bool:
    if queries.watch_near(conn, user_id=user_id, media_id=media_id, episode_id=episode_id,
                          watched_at=state.last_played, window_seconds=SAME_PLAY_SECONDS):
        return False
    history.mark_watched(conn, user_id, media_id, episode_id, state.last_played)
    return True


def _resume(conn: Conn, user_id: UUID, media_id: int, episode_id: int | None, state: PlayedState) -> bool:
    """The server's resume point as a heartbeat (an upsert: the same point twice changes nothing)."""
    position, duration = state.position, state.duration
    if not position or not duration or duration < MIN_DURATION or position >= duration:
        return False
    beat = HeartbeatIn(media_id=media_id, episode_id=episode_id, duration_seconds=min(duration, MAX_SECONDS),
                       position_seconds=min(position, MAX_SECONDS))
    progress.record_heartbeat(conn, user_id, beat)
    return True


def _finish(account: AccountRow, status: str, counts: Counts, error: str | None) -> Counts:
    with db.connection() as conn:
        queries.import_finish(conn, user_id=account["user_id"], server_id=account["server_id"], status=status,
                              error=error, **asdict(counts))
    get_logger().info("media server account imported", extra={
        "action": "media_server_account_imported", "user_id": str(account["user_id"]),
        "server_id": str(account["server_id"]), "kind": account["kind"], "status": status, **asdict(counts),
        "error": error})
    return counts
