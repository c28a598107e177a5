"""Backups of a /seen/ instance, and restoring one onto a fresh or existing stack.

    python -m server.backup create [--out DIR] [--no-media]
    python -m server.backup restore --from DIR [--force]

A backup is a directory ``seen-<UTC time>/`` holding ``database.dump`` (pg_dump, custom format),
``media/`` + ``objects.json`` (every bucket object with its content type, metadata and tags) and
``manifest.json``. Instance and user settings live in the database, so they travel in the dump;
the secrets that read them (SEEN_SETTINGS_KEY, SEEN_JWT_SECRET) never do: the manifest keeps a
salted fingerprint of each so a restore can say when the target's keys differ. docs/backups.md
is the user's guide. Progress is one JSON object per line on stdout; exit codes: 0 done,
2 bad input (missing or corrupt backup, target not empty), 1 anything else failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalicelib import aws, cache
from chalicelib.config import get_settings
from chalicelib.db import MIGRATIONS_DIR, migrate
from server import backup_db, backup_media

FORMAT = 1
DUMP_FILE = "database.dump"
MANIFEST_FILE = "manifest.json"
DEFAULT_PARENT = ".data/backups"
SETTINGS_NOTE = ("Instance settings (admin page) and user settings (preferences, subtitle languages, thresholds) "
                 "are rows of the database and are restored with database.dump. Secrets among them are encrypted "
                 "with SEEN_SETTINGS_KEY, which is not in the backup: keep it with your other secrets.")


class BadBackup(Exception):
    """The input is wrong (missing/corrupt backup, target not empty): exit 2, nothing touched."""


def emit(action: str, **fields: Any) -> None:
    """One progress line: a JSON object with a stable ``action`` name."""
    print(json.dumps({"action": action, **fields}, default=str), flush=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(secret: str | None, salt: str) -> str | None:
    """A salted sha256 prefix: tells two secrets apart without revealing either."""
    if not secret:
        return None
    return hashlib.sha256(f"seen-backup:{salt}:{secret}".encode()).hexdigest()[:16]


def code_schema_head() -> str:
    """The newest migration this code knows."""
    return max(p.stem for p in MIGRATIONS_DIR.glob("*.sql") if not p.stem.endswith(".rollback"))


def _secrets(settings: Any, encrypted: int) -> dict[str, Any]:
    salt = secrets.token_hex(8)
    return {"salt": salt,
            "SEEN_SETTINGS_KEY": {"fingerprint": fingerprint(settings.settings_key, salt),
                                  "neededFor": f"{encrypted} encrypted instance/indexer secret(s)"},
            "SEEN_JWT_SECRET": {"fingerprint": fingerprint(settings.auth.jwt_secret, salt),
                                "neededFor": "sessions already signed in (else everyone signs in again)"}}


def _manifest(settings: Any, db_state: dict, dump_file: Path, media: dict | None) -> dict[str, Any]:
    return {
        "format": FORMAT, "createdAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "seenVersion": settings.version, "schemaHead": db_state["schemaHead"],
        "database": {"file": DUMP_FILE, "sha256": sha256_file(dump_file), "bytes": dump_file.stat().st_size,
                     "counts": db_state["counts"]},
        "media": {"included": media is not None, "bucket": settings.aws.bucket, **(media or {})},
        "settings": SETTINGS_NOTE, "secrets": _secrets(settings, db_state["encryptedSecrets"]),
    }


def _new_name(parent: Path) -> Path:
    """``seen-<UTC second>``; a second backup within the same second gets ``-2`` (names sort by age)."""
    name = "seen-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate, n = parent / name, 1
    while candidate.exists():
        n += 1
        candidate = parent / f"{name}-{n}"
    return candidate


def create(parent: Path, with_media: bool = True) -> Path:
    """Write a complete backup under ``parent`` (built in a hidden temp dir, renamed when whole)."""
    settings, started = get_settings(), time.monotonic()
    parent.mkdir(parents=True, exist_ok=True)
    final = _new_name(parent)
    work = parent / f".{final.name}.partial-{os.getpid()}"
    work.mkdir()
    try:
        emit("backup_started", target=str(final), media=with_media)
        db_state = backup_db.dump(settings.database_url, work / DUMP_FILE)
        emit("database_dumped", bytes=(work / DUMP_FILE).stat().st_size, schemaHead=db_state["schemaHead"])
        media = backup_media.save_all(aws.client("s3", transfers=True), settings.aws.bucket, work, parent, emit) \
            if with_media else None
        manifest = _manifest(settings, db_state, work / DUMP_FILE, media)
        (work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1))
        work.rename(final)
    except BaseException:
        backup_media.remove_tree(work)
        raise
    emit("backup_done", path=str(final), counts=manifest["database"]["counts"], media=manifest["media"],
         seconds=round(time.monotonic() - started, 2))
    return final


def load(source: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The manifest and object list, with the dump's checksum and every media file checked."""
    try:
        manifest = json.loads((source / MANIFEST_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise BadBackup(f"no readable {MANIFEST_FILE} in {source}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadBackup(f"unknown backup format {manifest.get('format') if isinstance(manifest, dict) else None!r}")
    try:
        dump_file, expected = source / DUMP_FILE, manifest["database"]["sha256"]
        if not dump_file.is_file() or sha256_file(dump_file) != expected:
            raise BadBackup(f"{DUMP_FILE} is missing or does not match its checksum: the backup is corrupt")
        backup_db.dump_tables(dump_file)  # a consistent pair pg_restore still cannot read is bad input too
        entries = backup_media.read_entries(source) if manifest["media"]["included"] else []
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BadBackup(f"the backup is incomplete or its manifest is damaged: {exc!r}") from exc
    head = manifest.get("schemaHead")
    if head and head > code_schema_head():
        raise BadBackup(f"the backup's schema ({head}) is newer than this /seen/ ({code_schema_head()}): upgrade first")
    return manifest, entries


def check_secrets(settings: Any, manifest: dict[str, Any]) -> list[str]:
    """Loud warnings when the target's secrets differ from the ones the backup was made with."""
    recorded, warnings = manifest.get("secrets", {}), []
    salt = recorded.get("salt", "")
    ours = {"SEEN_SETTINGS_KEY": settings.settings_key, "SEEN_JWT_SECRET": settings.auth.jwt_secret}
    for name, secret in ours.items():
        theirs = (recorded.get(name) or {}).get("fingerprint")
        if theirs and fingerprint(secret, salt) != theirs:
            needed = recorded[name].get("neededFor", "")
            warnings.append(f"{name} differs from the one this backup was made with ({needed}); "
                            f"set the old value to keep them")
    return warnings


def _check_target(url: str, force: bool) -> dict[str, Any]:
    created = backup_db.ensure_database(url)
    target = backup_db.state(url)
    if target["users"] and not force:
        raise BadBackup(f"the target database already has {target['users']} user(s); "
                        "pass --force to replace everything in it with the backup")
    return {"created": created, "replacedUsers": target["users"]}


def restore(source: Path, force: bool = False) -> dict[str, Any]:
    """Check everything, then database (one transaction) -> migrations -> bucket -> cache."""
    settings, started = get_settings(), time.monotonic()
    manifest, entries = load(source)
    emit("backup_verified", path=str(source), createdAt=manifest["createdAt"], schemaHead=manifest["schemaHead"],
         objects=len(entries))
    for warning in check_secrets(settings, manifest):
        emit("warning", message=warning)
        print(f"WARNING: {warning}", file=sys.stderr, flush=True)
    target = _check_target(settings.database_url, force)
    backup_db.restore(settings.database_url, source / DUMP_FILE)
    restored = backup_db.state(settings.database_url)["counts"]
    if restored != manifest["database"]["counts"]:
        raise RuntimeError(f"the restored database holds {restored}, the backup {manifest['database']['counts']}")
    emit("database_restored", **target)
    applied = migrate.apply(settings.database_url)
    emit("migrations_applied", count=applied)
    media = {"objects": 0, "bytes": 0}
    if entries:
        s3 = aws.client("s3", transfers=True)
        emit("bucket_ready", bucket=settings.aws.bucket, created=backup_media.ensure_bucket(s3, settings))
        media = backup_media.upload_all(s3, settings.aws.bucket, source, entries, emit)
    cache.invalidate_pattern(f"{cache.PREFIX}:*")  # cached reads of the old database must not be served
    counts = backup_db.state(settings.database_url)["counts"]
    summary = {"path": str(source), "counts": counts, "media": media, "migrationsApplied": applied,
               "seconds": round(time.monotonic() - started, 2)}
    emit("restore_done", **summary)
    return summary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m server.backup", description=(__doc__ or "").split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create", help="write a backup directory")
    make.add_argument("--out", type=Path, help=f"parent directory (default $SEEN_BACKUP_DIR or {DEFAULT_PARENT})")
    make.add_argument("--no-media", action="store_true", help="database only, no bucket objects")
    back = commands.add_parser("restore", help="restore a backup into DATABASE_URL and the bucket")
    back.add_argument("--from", dest="source", type=Path, required=True, help="the backup directory")
    back.add_argument("--force", action="store_true", help="replace a database that already has users")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "create":
            create(args.out or Path(os.environ.get("SEEN_BACKUP_DIR") or DEFAULT_PARENT), not args.no_media)
        else:
            restore(args.source, args.force)
    except BadBackup as exc:
        emit("error", kind="bad_input", message=str(exc))
        return 2
    except Exception as exc:  # a CLI reports any failure as one line and exit code 1
        emit("error", kind="failed", message=f"{type(exc).__name__}: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
