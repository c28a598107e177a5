"""guessit once per name template: siblings that differ only in their episode numbers share one parse.

In a real library most files are siblings (``Show - S01E05.mkv``, ``Show - S01E06.mkv``, ...): the
same name but for the number runs that count the episodes. guessit costs milliseconds a name, so the
names parsed together (a scan's chunk: whole folders) are grouped by the TEMPLATE of the text guessit
reads (its digit runs masked, widths kept), and guessit reads one member of a group, the anchor.
Another member reuses the anchor's answer with its own numbers filled in, and only when that is shown
to be what guessit would say:

- every run that varies inside the group is at most 3 digits wide (a 4-digit run can be a year or a
  resolution) and is read by guessit, in the anchor, as exactly one of season / episode /
  absolute_episode, each its own field (runs equal in every member, like the folder's and the name's
  season in ``Season 02/Show - S02E03``, count as one), and that value appears nowhere else in the
  answer (``Blade Runner 2049``, ``9-1-1``, ``720p`` vs ``480p``: a number of the title or the
  release, not a counter, so the group is refused);
- the anchor's varying numbers differ from each other and from the name's other numbers (``S01E01``
  cannot tell which run is the season), and none is zero (a member's ``E00`` is read by guessit);
- guessit also reads a second member, and the answer filled in for it must equal guessit's own.

A group that fails any of these is read by guessit name by name. Everything after guessit is
:mod:`naming`'s own code (:func:`parse_with` mirrors :func:`naming.parse`), so a parse served here equals
:func:`naming.parse_many`'s; tests/unit/test_naming_stems.py checks that on the bench tree and the corpus.
"""

from __future__ import annotations

import os
import re

from chalicelib.library.naming import cached_guessit, folder_context, guessit_fields, split_name
from chalicelib.library.naming_rules import Guess, Raw, apply_rules, clean_for_guessit, title_from_file_name

NUMBER_FIELDS = ("season", "episode", "absolute_episode")
MAX_WIDTH = 3  # a varying run wider than this may be a year (2049) or a resolution (1080)
_RUN = re.compile(r"\d+")



def parse_with(path: str, raw: Raw, sibling_stems: list[str]) -> Guess:
    """:func:`naming.parse` of ``path`` given guessit's answer ``raw`` and the folder's stems (computed once)."""
    folders, stem, _ = split_name(path)
    guess = {**guessit_fields(raw), "corrections": [], "evidence": [], "pack": False}
    apply_rules(guess, raw, stem, folder_context(folders), sibling_stems)
    title_from_file_name(guess, stem)
    return guess


def parse_many(paths: list[str]) -> dict[str, Guess]:
    """:func:`naming.parse_many`'s answer, guessit run once per template of each folder's names."""
    by_folder: dict[str, list[str]] = {}
    for path in paths:
        by_folder.setdefault(os.path.dirname(path.replace("\\", "/")), []).append(path)
    raws = guessit_all([_guessit_text(path) for path in dict.fromkeys(paths)])  # templates span folders
    parsed: dict[str, Guess] = {}
    for members in by_folder.values():
        sibling_stems = [split_name(s)[1] for s in members]
        for path in members:
            parsed[path] = parse_with(path, raws.get(_guessit_text(path), {}), sibling_stems)
    return {path: parsed[path] for path in paths}


def _guessit_text(path: str) -> str:
    """What :func:`naming.parse` hands guessit for ``path`` ("" when the name has no stem: no guessit)."""
    folders, stem, ext = split_name(path)
    return clean_for_guessit(folders, stem, ext) if stem else ""


def guessit_all(texts: list[str]) -> dict[str, Raw]:
    """``{text: guessit's answer}``, guessit run once per template where it may (texts of any folders)."""
    groups: dict[tuple[tuple[str, ...], tuple[int, ...]], list[str]] = {}
    for text in dict.fromkeys(t for t in texts if t):
        runs = _RUN.findall(text)
        groups.setdefault((tuple(_RUN.split(text)), tuple(len(r) for r in runs)), []).append(text)
    raws: dict[str, Raw] = {}
    for group in groups.values():
        raws.update(_group(group) if len(group) > 1 else {group[0]: cached_guessit(group[0])})
    return raws


def _group(texts: list[str]) -> dict[str, Raw]:
    """One template's texts: the anchor's answer filled in for each, or guessit on each when refused."""
    runs = [_RUN.findall(text) for text in texts]
    counters = _counters(runs)
    anchor = _anchor(runs, counters)
    fields = _fields(cached_guessit(texts[anchor]), runs[anchor], counters) if anchor is not None else None
    if anchor is None or not fields:
        return {text: cached_guessit(text) for text in texts}
    raw = cached_guessit(texts[anchor])
    check = len(texts) - 1 if anchor != len(texts) - 1 else 0
    if _fill(raw, fields, runs[check]) != cached_guessit(texts[check]):
        return {text: cached_guessit(text) for text in texts}
    # A zero (``E00``, a special) is a number guessit may read otherwise: those members are its own.
    return {text: cached_guessit(text) if any(int(run[i]) == 0 for i in fields) else _fill(raw, fields, run)
            for text, run in zip(texts, runs, strict=True)}


def _counters(runs: list[list[str]]) -> list[list[int]]:
    """The runs that vary inside the group, those equal in every member as one counter
    (``Season 02/Show - S02E03``: the folder's and the name's season)."""
    counters: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(runs[0])):
        column = tuple(run[i] for run in runs)
        if len(set(column)) > 1:
            counters.setdefault(column, []).append(i)
    return list(counters.values())


def _anchor(runs: list[list[str]], counters: list[list[int]]) -> int | None:
    """The first member whose counters are non-zero, distinct, and unlike its other numbers."""
    varying = {i for counter in counters for i in counter}
    if not counters or any(len(runs[0][i]) > MAX_WIDTH for i in varying):
        return None
    for index, run in enumerate(runs):
        values = [int(run[counter[0]]) for counter in counters]
        others = {int(run[i]) for i in range(len(run)) if i not in varying}
        if 0 not in values and len(set(values)) == len(values) and not others & set(values):
            return index
    return None


def _fields(raw: Raw, run: list[str], counters: list[list[int]]) -> dict[int, str] | None:
    """``{run index: guessit field}`` when each counter is exactly one number field, and only that."""
    fields: dict[int, str] = {}
    for counter in counters:
        value = int(run[counter[0]])
        named = [f for f in NUMBER_FIELDS if type(raw.get(f)) is int and raw[f] == value]
        if len(named) != 1 or named[0] in fields.values() or _mentioned(raw, value, skip=named[0]):
            return None
        fields.update(dict.fromkeys(counter, named[0]))
    return fields


def _mentioned(raw: Raw, value: int, skip: str) -> bool:
    """Whether ``value`` shows up in ``raw`` outside field ``skip`` (as a number or a whole number in text)."""
    pattern = re.compile(rf"(?<!\d)0*{value}(?!\d)")
    for key, item in raw.items():
        if key == skip:
            continue
        for one in item if isinstance(item, list) else [item]:
            if (type(one) is int and one == value) or pattern.search(str(one)):
                return True
    return False


def _fill(raw: Raw, fields: dict[int, str], run: list[str]) -> Raw:
    """The anchor's answer with this member's numbers in the fields its varying runs were read as."""
    return {**raw, **{field: int(run[i]) for i, field in fields.items()}}
