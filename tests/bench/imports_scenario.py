"""A history import end to end through the imports consumer running as its own process.

Shared by the bench (100k rows) and its smoke test in ``make test`` (a couple of thousand rows): a catalog
of generated titles, a Letterboxd diary or a Trakt history naming them (a few with typos, a few
unknown), uploaded the presigned way, parsed, matched and applied by ``python -m embedded.pump
--queues imports``; the consumer's peak RSS is read from /proc.
"""

# ruff: noqa: S311 (generated test data, not secrets)
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WORDS = ("night", "river", "last", "summer", "city", "ghost", "winter", "blue", "road", "king", "silent",
         "house", "dark", "star", "lost", "girl", "game", "fire", "love", "war", "edge", "dream", "stone",
         "light", "moon", "wild", "secret", "storm", "island", "heart", "shadow", "glass", "iron", "golden")


def title_of(n: int) -> str:
    """A distinct, word-like title per number (trigram lookups behave as on real titles)."""
    rnd = random.Random(n)
    return " ".join(rnd.choice(WORDS).capitalize() for _ in range(rnd.randint(2, 4))) + f" {n}"


def seed_catalog(conn: Any, titles: int) -> None:
    conn.execute("""
        INSERT INTO media_items (media_type, title, release_date, tmdb_id, imdb_id, popularity)
        SELECT 'movie', t.title, make_date((1950 + t.n %% 70)::int, (1 + t.n %% 12)::int, 1), 900000 + t.n,
               'tt' || (9000000 + t.n), t.n %% 1000
        FROM unnest(%s::text[]) WITH ORDINALITY AS t(title, n)""", ([title_of(n) for n in range(1, titles + 1)],))
    conn.execute("ANALYZE media_items")


def _pick(rnd: random.Random, titles: int, n: int) -> tuple[str, int, int]:
    number = rnd.randint(1, titles)
    title, year = title_of(number), 1950 + number % 70
    roll = rnd.random()
    if roll < 0.03:
        return f"Nobody Knows This Film {n}", year, 0
    if roll < 0.06:
        return title.replace(" ", "  ", 1)[:-1] + "x" + title[-1], year, number  # a typo
    return title, year, number


def letterboxd(rows: int, titles: int, seed: int = 7) -> bytes:
    """A diary.csv of ``rows`` watches (dates, ratings, rewatches) of the catalog's titles."""
    rnd, lines = random.Random(seed), ["Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date"]
    for n in range(rows):
        title, year, _ = _pick(rnd, titles, n)
        day = f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        lines.append(f'{day},"{title}",{year},https://boxd.it/{n},{rnd.choice(["", "3", "4.5"])},,,{day}')
    return ("\n".join(lines) + "\n").encode()


def trakt(rows: int, titles: int, seed: int = 7) -> bytes:
    """A watched-history.json of ``rows`` movie watches with TMDB/IMDb ids (a few without any)."""
    rnd, items = random.Random(seed), []
    for n in range(rows):
        title, year, number = _pick(rnd, titles, n)
        ids = {"trakt": n, "tmdb": 900000 + number, "imdb": f"tt{9000000 + number}"} if number else {"trakt": n}
        items.append({"id": n, "watched_at": f"20{10 + n % 14:02d}-01-01T20:{n % 60:02d}:00.000Z",
                      "action": "watch", "type": "movie", "movie": {"title": title, "year": year, "ids": ids}})
    return json.dumps(items).encode()


FILES = {"letterboxd": ("diary.csv", letterboxd), "trakt": ("watched-history.json", trakt)}


class Consumer:
    """``python -m embedded.pump --queues imports`` as a child process, with the test's environment."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": f"{ROOT / 'localstack'}:{ROOT}"}
        self.proc = subprocess.Popen([sys.executable, "-m", "embedded.pump", "--queues", "imports"], cwd=ROOT,
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def upload(user_id: Any, fmt: str, content: bytes) -> Any:
    """Upload the presigned way (the browser's form POST of every field, then the file) and create the
    import."""
    import httpx

    from chalicelib.imports import service
    from chalicelib.imports.models import ImportCreate, UploadCreate

    filename = FILES[fmt][0]
    made = service.create_upload(user_id, UploadCreate(format=fmt, filename=filename, size_bytes=len(content)))
    sent = httpx.post(made.url, data=made.fields, files={"file": (filename, content)}, timeout=60)
    assert sent.status_code in (200, 201, 204), sent.text
    return service.create(user_id, ImportCreate(format=fmt, filename=filename, upload_id=made.upload_id)).id


def import_row(import_id: Any) -> dict[str, Any]:
    from chalicelib import db

    with db.connection() as conn:
        return db.queries().imports_get_any(conn, import_id=import_id)


def wait_for(import_id: Any, statuses: tuple[str, ...], timeout: float, consumer: Consumer | None = None) -> dict:
    """Poll until the import reaches one of ``statuses`` (a generous ceiling, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = import_row(import_id)
        if row["status"] in statuses:
            return row
        if consumer is not None and consumer.proc.poll() is not None:
            raise AssertionError(f"the imports consumer exited with {consumer.proc.returncode}")
        time.sleep(0.05)
    raise AssertionError(f"import {import_id} still {import_row(import_id)['status']} after {timeout} s")


@dataclass
class Result:
    seconds: float
    peak_rss_mb: float
    rows: int
    matched: int
    applied: int


def run(user_id: Any, fmt: str, rows: int, titles: int, timeout: float = 1800) -> Result:
    """Generate, upload, parse+match (to preview), apply (to applied) through a consumer process."""
    content = FILES[fmt][1](rows, titles)
    consumer = Consumer()
    try:
        started = time.monotonic()
        import_id = upload(user_id, fmt, content)
        previewed = wait_for(import_id, ("preview", "failed"), timeout, consumer)
        assert previewed["status"] == "preview", previewed["error"]
        from chalicelib.imports import service

        service.apply(user_id, import_id)
        applied = wait_for(import_id, ("applied", "failed"), timeout, consumer)
        seconds = time.monotonic() - started
        return Result(seconds, consumer.peak_rss_mb(), applied["rows_total"], applied["matched"], applied["done"])
    finally:
        consumer.stop()
