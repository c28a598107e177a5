"""The naming corpus (tests/data/naming/<class>.yaml) and how a parse is scored against it.

Shared by the unit test (the project's parse must never score below guessit
alone on any class) and the bench (which records both per class). Each entry
carries its ``class`` (the file it came from), its ``source`` and its ``split`` (tuning or
validation: the validation part -- a seeded fifth of the first corpus, and half of the names imported from
other tools' own tests, chosen by ``split_of`` -- is never looked at while tuning the parser).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parents[1] / "data" / "naming"
SCORED = ("title", "year", "type", "season", "episode", "absolute", "airDate", "edition")
META = ("class", "split", "source")


def load() -> list[dict[str, Any]]:
    """Every entry of every class file, with ``class`` set from its file name."""
    entries = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["names"]:
            entries.append({**entry, "class": path.stem})
    return entries


def split_of(path: str) -> str:
    """The split of a name imported from another tool's tests (``import_fixtures.py``), fixed by the name alone
    before any tuning: validation when the first byte of its SHA-256 is even."""
    return "validation" if hashlib.sha256(path.encode()).digest()[0] % 2 == 0 else "tuning"


def _text(value: Any) -> str:
    folded = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b)", "", folded)  # "s.h.i.e.l.d" and "shield" are one title
    return " ".join(re.findall(r"[a-z0-9]+", folded.replace("'", "")))


def _editions(value: Any) -> set[str]:
    if not value:
        return set()
    items = value if isinstance(value, list) else str(value).split(",")
    return {_text(item) for item in items if _text(item)}


def field_matches(field: str, expected: Any, got: dict[str, Any]) -> bool:
    if field == "title":
        return _text(expected or "") == _text(got.get("title") or "")  # no title expected: none given
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


def by_class(parser: Callable[[str], dict[str, Any]], entries: list[dict[str, Any]] | None = None,
             ) -> dict[tuple[str, str], dict[str, Any]]:
    """Accuracy per (class, split), plus ("all", split) and (class, "all") and ("all", "all")."""
    return _grouped("class", parser, entries)


def by_source(parser: Callable[[str], dict[str, Any]], entries: list[dict[str, Any]] | None = None,
              ) -> dict[tuple[str, str], dict[str, Any]]:
    """Accuracy per (source, split) -- where the names came from: guessit's own test suites, the project's first
    names from naming docs ("project"), names written after scene rules and anitomy's formats ("own")
    (``build_corpus.py``), other tools' own parser tests ("tool:file", ``import_fixtures.py``, with a "tool:*"
    row for each tool) -- with the same "all" rows as ``by_class``."""
    return _grouped("source", parser, entries)


def _grouped(meta: str, parser: Callable[[str], dict[str, Any]], entries: list[dict[str, Any]] | None,
             ) -> dict[tuple[str, str], dict[str, Any]]:
    entries = entries if entries is not None else load()
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry in entries:
        names = [entry[meta], "all"] + ([entry[meta].split(":")[0] + ":*"] if ":" in entry[meta] else [])
        for name in names:
            for split in (entry["split"], "all"):
                groups.setdefault((name, split), []).append(entry)
    parsed = {entry["path"]: parser(entry["path"]) for entry in entries}
    return {key: accuracy(parsed.__getitem__, group) for key, group in sorted(groups.items())}


def table(project: dict[tuple[str, str], dict[str, Any]], alone: dict[tuple[str, str], dict[str, Any]],
          heading: str = "class") -> str:
    """Per group (class or source) project vs guessit, tuning / validation / all, as printable lines."""
    groups = sorted({group for group, _ in project}, key=lambda g: (g == "all", g))
    width = max(18, *(len(group) for group in groups))
    lines = [f"{heading:{width}} {'n':>5}  {'project t/v/all':>22}  {'guessit t/v/all':>22}"]
    for group in groups:
        cells = [" / ".join(f"{r[(group, s)]['accuracy'] * 100:5.1f}" if (group, s) in r else "  -  "
                            for s in ("tuning", "validation", "all")) for r in (project, alone)]
        lines.append(f"{group:{width}} {project[(group, 'all')]['names']:>5}  {cells[0]:>22}  {cells[1]:>22}")
    return "\n".join(lines)
