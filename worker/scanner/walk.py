"""Finding media files under the library roots, and remembering which ones are done.

The walk never follows a symlink (file or directory) and drops any path whose
real location is outside its root, so a link cannot pull ``/etc`` or another
user's files into the bucket. Hidden entries (``.foo``) and samples are
skipped. The worker has no database: what was indexed lives in a small SQLite
file under the staging directory, keyed by path with the size, mtime and
sidecar signature it had. A file whose record still matches is skipped
without being parsed or probed, which is what makes an unchanged rescan
nearly free. A record is written only after the file's event was sent, so a
crash or a failure mid-way means the file is simply tried again.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from chalicelib.library.naming import MEDIA_EXTENSIONS, SUBTITLE_EXTENSIONS

SUBTITLE_DIRS = frozenset({"subs", "subtitles", "subtitle", "sub"})
_SAMPLE = re.compile(r"(?i)(?:^|[\s._-])sample(?:$|[\s._-])")


@dataclass(frozen=True)
class Root:
    """A library root: its real path and the label its files are stored under (``media/<label>/...``)."""

    path: Path
    label: str


@dataclass(frozen=True)
class Candidate:
    """A media file found under a root, with the sidecar subtitles beside it."""

    root: Root
    path: Path
    rel: str  # path relative to the root, "/"-separated
    size: int
    mtime_ns: int
    sidecars: tuple[Path, ...] = field(default=())

    @property
    def signature(self) -> str:
        """Changes when the file or any of its sidecars changes."""
        parts = [f"{self.size}:{self.mtime_ns}"]
        for sidecar in self.sidecars:
            try:
                stat = sidecar.stat()
                parts.append(f"{sidecar.name}:{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                parts.append(f"{sidecar.name}:gone")
        return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()


def make_roots(paths: tuple[str, ...] | list[str]) -> list[Root]:
    """Resolve the configured roots; labels are folder names, made unique with a short hash."""
    resolved = [Path(p).expanduser().resolve() for p in paths if p]
    names = [p.name or "root" for p in resolved]
    roots = []
    for path, name in zip(resolved, names, strict=True):
        digest = hashlib.sha1(str(path).encode(), usedforsecurity=False).hexdigest()[:6]
        label = name if names.count(name) == 1 else f"{name}-{digest}"
        roots.append(Root(path, re.sub(r"[^\w .()\[\]-]", "_", label)))
    return roots


def is_media(name: str) -> bool:
    suffix = os.path.splitext(name)[1].lower()
    return suffix in MEDIA_EXTENSIONS and not _SAMPLE.search(os.path.splitext(name)[0])


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` really (symlinks resolved) lies under ``root``."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(root)
    except (OSError, ValueError):
        return False


def _entries(directory: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(directory) as listing:
            return sorted(listing, key=lambda e: e.name)
    except OSError:
        return []  # unreadable or vanished mid-walk: the next scan sees it


def sidecars_for(media: Path, entries: list[os.DirEntry]) -> tuple[Path, ...]:
    """Subtitle files named after ``media`` (``Movie.en.srt``) beside it or in a ``Subs/`` folder."""
    stem = media.stem.lower()
    found = []
    for entry in entries:
        if entry.is_symlink():
            continue
        name = entry.name.lower()
        if entry.is_file(follow_symlinks=False) and os.path.splitext(name)[1] in SUBTITLE_EXTENSIONS:
            if name.startswith(stem + ".") or name.startswith(stem + "_"):
                found.append(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False) and name in SUBTITLE_DIRS:
            found.extend(_subtitle_folder(Path(entry.path), stem))
    return tuple(found)


def _subtitle_folder(folder: Path, stem: str) -> list[Path]:
    """``Subs/English.srt`` (one film per folder) or ``Subs/<episode stem>/2_English.srt``."""
    found = []
    for entry in _entries(folder):
        if entry.is_symlink():
            continue
        if entry.is_file(follow_symlinks=False) and os.path.splitext(entry.name)[1].lower() in SUBTITLE_EXTENSIONS:
            found.append(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False) and entry.name.lower() == stem:
            found.extend(Path(e.path) for e in _entries(Path(entry.path))
                         if not e.is_symlink() and os.path.splitext(e.name)[1].lower() in SUBTITLE_EXTENSIONS)
    return found


def walk(root: Root, start: Path | None = None) -> Iterator[Candidate]:
    """Every media file under ``start`` (default: the whole root), depth first, in name order."""
    pending = [start or root.path]
    while pending:
        directory = pending.pop()
        entries = _entries(directory)
        nearby = _sidecar_entries(entries)  # once per folder: a 2,000-file folder is not read 2,000 times
        subdirs = []
        for entry in entries:
            if entry.name.startswith(".") or entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False) and is_media(entry.name):
                candidate = _candidate(root, entry, nearby)
                if candidate is not None:
                    yield candidate
        pending.extend(reversed(subdirs))


def _sidecar_entries(entries: list[os.DirEntry]) -> list[os.DirEntry]:
    """The entries ``sidecars_for`` can pick: subtitle files and subtitle folders."""
    return [e for e in entries if os.path.splitext(e.name)[1].lower() in SUBTITLE_EXTENSIONS
            or e.name.lower() in SUBTITLE_DIRS]


def _candidate(root: Root, entry: os.DirEntry, entries: list[os.DirEntry]) -> Candidate | None:
    # No realpath check needed here: the walk starts at the resolved root (or a start checked with
    # ``inside``) and never steps through a symlink, so whatever it reaches lies under the root.
    path = Path(entry.path)
    try:
        stat = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    rel = path.relative_to(root.path).as_posix()
    return Candidate(root, path, rel, stat.st_size, stat.st_mtime_ns, sidecars_for(path, entries))


def settled(candidate: Candidate, settle_seconds: float, now: float | None = None) -> bool:
    """A file modified in the last ``settle_seconds`` may still be copying in: leave it for the next scan."""
    return ((now or time.time()) - candidate.mtime_ns / 1e9) >= settle_seconds


class ScanState:
    """Which files are indexed, with the signature they had (SQLite under the staging dir)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, signature TEXT NOT NULL, "
                         "key TEXT NOT NULL, indexed_at REAL NOT NULL)")

    def unchanged(self, candidate: Candidate) -> bool:
        with self._lock:
            row = self._db.execute("SELECT signature FROM files WHERE path = ?", (str(candidate.path),)).fetchone()
        return row is not None and row[0] == candidate.signature

    def record(self, candidate: Candidate, key: str) -> None:
        with self._lock:
            self._db.execute("INSERT INTO files (path, signature, key, indexed_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (path) DO UPDATE SET signature = excluded.signature, key = excluded.key, "
                             "indexed_at = excluded.indexed_at",
                             (str(candidate.path), candidate.signature, key, time.time()))

    def record_many(self, done: list[tuple[Candidate, str]]) -> None:
        """``record`` for a batch of files, in one transaction (one fsync, not one per file)."""
        now = time.time()
        rows = [(str(c.path), c.signature, key, now) for c, key in done]
        with self._lock:
            self._db.execute("BEGIN")  # autocommit connection: one explicit transaction for the batch
            try:
                self._db.executemany("INSERT INTO files (path, signature, key, indexed_at) VALUES (?, ?, ?, ?) "
                                     "ON CONFLICT (path) DO UPDATE SET signature = excluded.signature, "
                                     "key = excluded.key, indexed_at = excluded.indexed_at", rows)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def forget(self, path: Path) -> None:
        with self._lock:
            self._db.execute("DELETE FROM files WHERE path = ?", (str(path),))

    def prune(self, under: Path, seen: set[str]) -> int:
        """Drop records of files under ``under`` that the walk no longer found (a re-added file is new)."""
        prefix = str(under).rstrip(os.sep) + os.sep
        with self._lock:
            rows = self._db.execute("SELECT path FROM files WHERE substr(path, 1, ?) = ?",
                                    (len(prefix), prefix)).fetchall()
            gone = [(p,) for (p,) in rows if p not in seen]
            self._db.executemany("DELETE FROM files WHERE path = ?", gone)
        return len(gone)

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM files").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
