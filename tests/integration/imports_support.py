"""Helpers of the history import tests: the catalog the sample files name, uploads, the event pump."""

from __future__ import annotations

import base64
import io
import json
import threading
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from tests.integration.tracking_support import Catalog

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
USER_TABLES = ("user_watched", "user_ratings", "user_watch_later", "user_favorites")


def seed_catalog(conn: Any) -> dict[str, Any]:
    """The titles the sample exports mention (ids as on TMDB, IMDb and IGDB)."""
    cat = Catalog(conn)
    ids = {
        "matrix": cat.movie("The Matrix", release_date=date(1999, 3, 31), imdb_id="tt0133093", tmdb_id=603),
        "inception": cat.movie("Inception", release_date=date(2010, 7, 16), imdb_id="tt1375666", tmdb_id=27205),
        "parasite": cat.movie("Parasite", release_date=date(2019, 5, 30), imdb_id="tt6751668", tmdb_id=496243),
        "spirited": cat.movie("Spirited Away", release_date=date(2001, 7, 20), imdb_id="tt0245429", tmdb_id=129),
        "heat": cat.movie("Heat", release_date=date(1995, 12, 15), imdb_id="tt0113277", tmdb_id=949),
        "lotr": cat.movie("The Lord of the Rings: The Fellowship of the Ring", release_date=date(2001, 12, 18),
                          imdb_id="tt0120737", tmdb_id=120),
        "hades": cat.game("Hades", release_date=date(2020, 9, 17), igdb_id=113112),
    }
    ids["bb"], ids["bb_episodes"] = cat.show({1: 3, 2: 2}, title="Breaking Bad")
    ids["dark"], ids["dark_episodes"] = cat.show({1: 3}, title="Dark")
    for key, tmdb, imdb, day in (("bb", 1396, "tt0903747", date(2008, 1, 20)), ("dark", 70523, "tt5753856",
                                                                                 date(2017, 12, 1))):
        conn.execute("UPDATE media_items SET tmdb_id = %s, imdb_id = %s, release_date = %s WHERE id = %s",
                     (tmdb, imdb, day, ids[key]))
    conn.execute("UPDATE episodes SET imdb_id = 'tt0959621' WHERE id = %s", (ids["bb_episodes"][(1, 1)],))
    return ids


def zipped(folder: Path) -> bytes:
    """A folder of sample files as the zip the service hands out."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def upload(api: Any, fmt: str, filename: str, content: bytes) -> tuple[int, Any]:
    return api("POST", "/api/v1/imports", {"format": fmt, "filename": filename,
                                           "content": base64.b64encode(content).decode()})


def pump(app: Any) -> int:
    """Handle every queued event with the app's ``worker_events`` consumer (as Lambda would)."""
    from chalicelib import aws
    from embedded.lambdas import SqsPump

    sqs_pump = SqsPump(app, aws.client("sqs"), threading.Event(), lambda *a, **k: None)
    total = 0
    while True:
        done = sum(sqs_pump.run_once(config, wait_seconds=0) for config in sqs_pump.configs)
        total += done
        if done == 0:
            return total


class EagerQueue:
    """An SQS client whose imports consumer handles each message the instant it is sent (a Lambda poller can
    beat the sender's next statement), or, with ``refuse``, a queue that is down."""

    def __init__(self, real: Any, *, refuse: bool = False):
        self.real, self.refuse = real, refuse

    def send_message(self, **kwargs: Any) -> Any:
        from botocore.exceptions import EndpointConnectionError

        from chalicelib.imports import handlers

        if self.refuse:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9/")
        sent = self.real.send_message(**kwargs)
        record = {"messageId": sent["MessageId"], "body": kwargs["MessageBody"]}
        assert handlers.handle_batch([record]) == {"batchItemFailures": []}
        return sent

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def eager_queue(monkeypatch: Any) -> Any:
    """``use()`` swaps the process's SQS client for an ``EagerQueue`` (``use(refuse=True)``: one that is down)."""
    from chalicelib import aws

    real = aws.client

    def use(**kwargs: Any) -> None:
        monkeypatch.setattr(aws, "client", lambda service, *a, **k: (
            EagerQueue(real(service, *a, **k), **kwargs) if service == "sqs" else real(service, *a, **k)))
    return use


def counts(conn: Any, user_id: Any) -> dict[str, int]:
    return {table: conn.execute(f"SELECT count(*) AS n FROM {table} WHERE user_id = %s",
                                (user_id,)).fetchone()["n"] for table in USER_TABLES}


def state(conn: Any, user_id: Any) -> dict[str, Any]:
    """Everything an import may write for a user, comparable across runs (ids, times, ratings)."""
    watched = conn.execute("SELECT media_id, episode_id, watched_at FROM user_watched WHERE user_id = %s "
                           "ORDER BY 1, 2 NULLS FIRST, 3", (user_id,)).fetchall()
    ratings = conn.execute("SELECT media_id, rating::float AS rating FROM user_ratings WHERE user_id = %s "
                           "ORDER BY 1", (user_id,)).fetchall()
    later = [r["media_id"] for r in conn.execute(
        "SELECT media_id FROM user_watch_later WHERE user_id = %s ORDER BY 1", (user_id,)).fetchall()]
    favorites = [r["media_id"] for r in conn.execute(
        "SELECT media_id FROM user_favorites WHERE user_id = %s ORDER BY 1", (user_id,)).fetchall()]
    return {"watched": [tuple(r.values()) for r in watched], "ratings": {r["media_id"]: r["rating"] for r in ratings},
            "watchLater": later, "favorites": favorites}


def json_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()
