"""The users of a fake Jellyfin or Plex server: who may sign in, and what each one played.

A real server keeps a play state per user and item: how often it was played, when last, and where an unfinished
play stopped. Both fakes answer it in their own shapes (Jellyfin's ``UserData``; Plex's ``viewCount``,
``lastViewedAt``, ``viewOffset``) for the user whose token asks. Tests: ``user = fake.users.add("ana", "pw")``,
then ``user.played(item_id, at)`` / ``user.resume(item_id, seconds)`` with the library's item ids.

``file_reply`` serves real bytes (a small video made with ffmpeg, set as the fake's ``video``) with HTTP Range,
so a browser or ffprobe can play what the fake streams.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from embedded.fakes import Reply
from embedded.fakes.media_library import hex_id

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@dataclass
class ViewState:
    play_count: int = 0
    last_played: datetime | None = None
    position_seconds: float = 0.0  # an unfinished play's resume point; 0 when none


@dataclass
class FakeUser:
    name: str
    password: str
    user_id: str
    token: str
    account_id: int  # Plex's numeric account id
    views: dict[str, ViewState] = field(default_factory=dict)  # library item id -> this user's state

    def played(self, item_id: str, at: datetime | None = None, count: int = 1) -> None:
        state = self.views.setdefault(item_id, ViewState())
        state.play_count += count
        state.last_played = at or datetime(2024, 5, 1, 20, 0, tzinfo=UTC)

    def resume(self, item_id: str, seconds: float, at: datetime | None = None) -> None:
        state = self.views.setdefault(item_id, ViewState())
        state.position_seconds = seconds
        state.last_played = at or state.last_played or datetime(2024, 5, 2, 20, 0, tzinfo=UTC)


class Users:
    def __init__(self, server_key: str) -> None:
        self.server_key = server_key
        self.by_name: dict[str, FakeUser] = {}

    def add(self, name: str, password: str = "", token: str | None = None) -> FakeUser:
        user = FakeUser(name=name, password=password, user_id=hex_id(self.server_key, "user", name),
                        token=token or hex_id(self.server_key, "token", name), account_id=100 + len(self.by_name))
        self.by_name[name.lower()] = user
        return user

    def by_token(self, token: str | None) -> FakeUser | None:
        return next((user for user in self.by_name.values() if token and user.token == token), None)

    def by_id(self, user_id: str) -> FakeUser | None:
        return next((user for user in self.by_name.values() if user.user_id == user_id.replace("-", "").lower()),
                    None)

    def sign_in(self, name: str, password: str) -> FakeUser | None:
        user = self.by_name.get(name.lower())
        return user if user is not None and user.password == password else None


def file_reply(data: bytes, content_type: str, range_header: str | None) -> Reply:
    """``data`` with one ``Range: bytes=a-b | a- | -n`` honoured (206, or 416 past the end)."""
    total = len(data)
    headers = {"Content-Type": content_type, "Accept-Ranges": "bytes"}
    match = _RANGE.fullmatch((range_header or "").strip())
    if not match or match.groups() == ("", ""):
        return Reply(200, data, headers)
    first, last = match.groups()
    start, end = (int(first), min(int(last or total - 1), total - 1)) if first else (max(total - int(last), 0),
                                                                                    total - 1)
    if start >= total or start > end:
        return Reply(416, b"", {**headers, "Content-Range": f"bytes */{total}"})
    return Reply(206, data[start:end + 1], {**headers, "Content-Range": f"bytes {start}-{end}/{total}"})
