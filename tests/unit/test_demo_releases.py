"""The demo indexer's release names read back, through the library scanner's own parser, as the title they are of.

A release the scanner could not match to its title or episode would land in the library as unmatched
(no progress, no "watched", no next episode); so every demo movie's file and every show's first episode,
single and in its season pack, is parsed with ``chalicelib.library.naming`` here.
"""

from __future__ import annotations

import re

import pytest

from chalicelib.library.naming import parse, parse_many
from embedded.fakes.demo_releases import DemoCatalog, movie_releases, scene_name, show_releases, words


@pytest.fixture(scope="module")
def catalog() -> DemoCatalog:
    return DemoCatalog.load()


@pytest.mark.parametrize("title, scene", [
    ("Léon: The Professional", "Leon.The.Professional"), ("Schindler's List", "Schindlers.List"),
    ("Deadpool & Wolverine", "Deadpool.and.Wolverine"), ("WALL·E", "WALL.E"), ("1917", "1917"),
    ("Once Upon a Time... in Hollywood", "Once.Upon.a.Time.in.Hollywood")])
def test_titles_become_scene_names(title, scene):
    assert scene_name(title) == scene


def same_title(parsed: str | None, title: str) -> bool:
    """The parse's title is the catalog's; guessit reads a trailing "Part II" / "Vol. 1" as a part of
    the title (its ``part`` field), as it does for real releases of those films."""
    return words(parsed or "") in (words(title), words(re.sub(r"\W*\b(Part|Vol)\b.*$", "", title)))


def test_every_movie_release_parses_as_its_title_and_year(catalog):
    wrong = []
    for title in (t for t in catalog.titles if t.kind == "movie"):
        for release in movie_releases(title)[::3]:  # the 2160p and the 720p names: each tag shape once
            guess = parse(release.files[0].name)
            if not (same_title(guess.get("title"), title.title) and guess.get("year") == title.year):
                wrong.append((release.files[0].name, guess.get("title"), guess.get("year")))
    assert wrong == []


def test_every_show_episode_and_pack_file_parses_as_its_show_season_and_episode(catalog):
    wrong = []
    for title in (t for t in catalog.titles if t.kind == "show"):
        season, _, complete = next(s for s in title.seasons if s[1])
        releases = show_releases(title, season, 1)  # episode 1 alone, and the season's pack
        assert any(r.folder for r in releases) == complete, title.title
        for release in releases:
            files = release.files[:3]  # a pack's first files, each parsed beside the others
            paths = [f"{release.name}/{f.name}" if release.folder else f.name for f in files]
            for path, guess in parse_many(paths).items():
                number = int(path.rsplit(f"S{season:02d}E", 1)[1][:2])
                if not (same_title(guess.get("title"), title.title) and guess.get("season") == season
                        and guess.get("episode") == number):
                    wrong.append((path, guess.get("title"), guess.get("season"), guess.get("episode")))
    assert wrong == []
