"""One-shot builder of the naming corpus (tests/data/naming/*.yaml); kept to show how it was made.

Run once; the YAML files are the source of truth afterwards (edit them, not this). Sources:
* ``tests/unit/library_names.yaml`` as of commit f395ef9, removed since (the project's first 226 names:
  Jellyfin/Plex naming docs, Sonarr's documented naming formats, scene and fansub conventions), classified by shape;
* guessit's own test YAML (``guessit/test/{episodes,movies}.yml``, LGPLv3, https://github.com/guessit-io/guessit):
  entries without options or negative assertions, with their expected fields mapped to ours;
* names written for this corpus (``own``) after the scene naming rules (https://scenerules.org), the
  Plex/Jellyfin TV naming docs (Season/Specials folders), anitomy's documented anime formats
  (https://github.com/erengy/anitomy) and our own library layouts.
The validation split: a fifth of each class, drawn once with random.Random(SEED).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

SEED = 20261123
HERE = Path(__file__).parent
GUESSIT = Path(__file__).resolve().parents[3] / ".venv/lib/python3.11/site-packages/guessit/test"
CLASSES = ("movie", "movie-edition", "episode", "multi-episode", "season-pack", "season-folder",
           "episode-in-folder", "daily", "absolute-anime", "non-english", "junk-heavy")
NON_ENGLISH = re.compile(r"(?i)\b(german|french|truefrench|vostfr|spanish|castellano|italian|ita|staffel|saison|"
                         r"temporada|stagione|folge|multi|vf|subfrench|espa[nñ]ol|deutsch)\b")
JUNK = re.compile(r"(?i)^(?:www\.|\[\s*www|\[[a-z0-9 .-]+\.(?:com|org|net|to|me)\])|\b(?:rarbg|ettv|eztv|tgx)\b")
EXPLICIT = re.compile(r"(?i)s\d{1,4}[ ._-]?x?e\d|\d{1,2}x\d{1,3}")
SEASON_DIR = re.compile(r"(?i)(?:^|/)(?:season|staffel|saison|series)[ ._-]*\d+/|(?:^|/)specials/")


def classify(entry: dict) -> str:
    path = entry["path"]
    stem = path.rsplit("/", 1)[-1]
    if JUNK.search(stem):
        return "junk-heavy"
    if entry.get("airDate"):
        return "daily"
    if entry.get("absolute"):
        return "absolute-anime"
    if NON_ENGLISH.search(path):
        return "non-english"
    if entry["type"] == "movie":
        return "movie-edition" if entry.get("edition") else "movie"
    if entry.get("episode") is None:
        return "season-pack"
    if isinstance(entry.get("episode"), list):
        return "multi-episode"
    if SEASON_DIR.search(path):
        return "episode-in-folder" if not EXPLICIT.search(stem) else "season-folder"
    return "episode"


def from_guessit(name: str, default_type: str) -> list[dict]:
    data = yaml.safe_load((GUESSIT / name).read_text(encoding="utf-8"))
    out = []
    for key, want in data.items():
        if key.startswith(("-", "__")) or not isinstance(want, dict) or "options" in want:
            continue
        if any(k.startswith("-") for k in want) or not isinstance(want.get("title"), str):
            continue
        if isinstance(want.get("season"), list) or isinstance(want.get("year"), list):
            continue
        kind = want.get("type", default_type)
        if kind not in ("movie", "episode") or ("absolute_episode" in want and "episode" in want):
            continue
        entry = {"path": key, "title": want["title"], "type": kind}
        for src, dst in (("year", "year"), ("season", "season"), ("episode", "episode"),
                         ("absolute_episode", "absolute"), ("edition", "edition")):
            if want.get(src) is not None:
                entry[dst] = want[src]
        if want.get("date") is not None:
            entry["airDate"] = str(want["date"])
        if isinstance(entry.get("episode"), list):
            entry["episode"] = sorted(set(entry["episode"]))
        elif "episode" in entry and "season" not in entry and "airDate" not in entry and "absolute" not in entry:
            entry["absolute"] = entry.pop("episode")  # our convention: a number without a season is absolute
        out.append(entry)
    return out


def own() -> list[dict]:
    from own_names import OWN  # the hand-written names live next to this file

    return OWN


def main() -> None:
    groups: dict[str, list[dict]] = {c: [] for c in CLASSES}
    seen: set[str] = set()
    old = yaml.safe_load((HERE.parents[1] / "unit/library_names.yaml").read_text(encoding="utf-8"))["names"]
    sources = [(old, "project"), (from_guessit("episodes.yml", "episode"), "guessit-episodes"),
               (from_guessit("movies.yml", "movie"), "guessit-movies"), (own(), "own")]
    for entries, source in sources:
        for entry in entries:
            if entry["path"] in seen:
                continue
            seen.add(entry["path"])
            cls = entry.pop("class", None) or classify(entry)
            groups[cls].append({**entry, "source": source})
    rng = random.Random(SEED)  # noqa: S311 - a reproducible draw, not a secret
    for cls, entries in groups.items():
        chosen = set(rng.sample(range(len(entries)), len(entries) // 5))
        for i, entry in enumerate(entries):
            entry["split"] = "validation" if i in chosen else "tuning"
        write(cls, entries)


def write(cls: str, entries: list[dict]) -> None:
    lines = [HEADER.format(cls=cls, seed=SEED), "names:"]
    for entry in entries:
        lines.append("- " + yaml.safe_dump(entry, default_flow_style=True, sort_keys=False, allow_unicode=True,
                                           width=10_000).strip())
    (HERE / f"{cls}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


HEADER = """\
# Naming corpus, class {cls!r}. Built once by build_corpus.py (seed {seed}); edit here, not there.
# Sources (field `source`): project = the project's first corpus (Jellyfin/Plex naming docs
#   jellyfin.org/docs/general/server/media/{{movies,shows}}, support.plex.tv naming guides, Sonarr's
#   documented naming formats, scene and fansub conventions); guessit-episodes / guessit-movies = guessit's
#   own test YAML (github.com/guessit-io/guessit, guessit/test/{{episodes,movies}}.yml, LGPLv3) mapped to
#   our fields; own = written for this corpus after scenerules.org, the Plex/Jellyfin season-folder docs,
#   anitomy's documented anime formats (github.com/erengy/anitomy) and our own library layouts.
#   No names come from other media servers' or downloaders' test suites (kept as the independent check).
# Fields: title, year, type (movie|episode), season, episode (int, or a list for multi-episode),
#   absolute (absolute episode number), airDate (daily shows), edition. A field left out must be null.
# An episode number with no season (`[Group] Show - 13`, `Show.E05`) is absolute: absolute N, episode null.
# Season packs (a torrent or folder holding a whole season): type episode, season N, episode null.
# split: validation = a fifth of the class drawn once at random (seed above), never used while tuning."""


if __name__ == "__main__":
    main()
