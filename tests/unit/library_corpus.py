"""The scanner's parse corpus (library_names.yaml) and how a parse is scored against it.

Shared by the unit test (the scanner must stay at or above its recorded
accuracy) and the bench (which reports it next to guessit's own).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).with_name("library_names.yaml")
SCORED = ("title", "year", "type", "season", "episode", "absolute", "airDate", "edition")


def load() -> list[dict[str, Any]]:
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["names"]


def _text(value: Any) -> str:
    folded = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", folded.replace("'", "")))


def _editions(value: Any) -> set[str]:
    if not value:
        return set()
    items = value if isinstance(value, list) else str(value).split(",")
    return {_text(item) for item in items if _text(item)}


def field_matches(field: str, expected: Any, got: dict[str, Any]) -> bool:
    if field == "title":
        return _text(expected) == _text(got.get("title") or "")
    if field == "edition":
        return _editions(expected) == _editions(got.get("edition"))
    if field == "episode":
        actual = got.get("episodes") or got.get("episode")
        if isinstance(actual, list) and len(actual) == 1:
            actual = actual[0]
        return expected == actual
    return expected == got.get(field)


def wrong_fields(entry: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """The scored fields where ``got`` differs from the entry (a field the entry omits must be null)."""
    return [f for f in SCORED if not field_matches(f, entry.get(f), got)]


def accuracy(parser: Callable[[str], dict[str, Any]], entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Share of names parsed entirely right, per-field accuracy and the misses."""
    entries = entries if entries is not None else load()
    misses, per_field = [], dict.fromkeys(SCORED, 0)
    for entry in entries:
        wrong = wrong_fields(entry, parser(entry["path"]))
        for field in SCORED:
            per_field[field] += field not in wrong
        if wrong:
            misses.append((entry["path"], wrong))
    total = len(entries)
    return {"names": total, "correct": total - len(misses), "accuracy": round((total - len(misses)) / total, 4),
            "fields": {f: round(n / total, 4) for f, n in per_field.items()}, "misses": misses}
