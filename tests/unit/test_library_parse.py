"""The scanner's name parser on the corpus (library_names.yaml) and on names nothing can be read from."""

from __future__ import annotations

import library_corpus
import pytest

from chalicelib.library import naming as parsing

CORPUS = library_corpus.load()
# The accuracy the scanner reached when the corpus was written; a change that lowers it fails here.
MIN_ACCURACY = 0.99


def test_the_corpus_is_big_enough_and_well_formed():
    assert len(CORPUS) >= 150
    assert len({entry["path"] for entry in CORPUS}) == len(CORPUS)
    for entry in CORPUS:
        assert set(entry) <= {"path", *library_corpus.SCORED}, entry
        assert entry["type"] in ("movie", "episode"), entry


def test_the_scanner_parses_the_corpus_and_beats_guessit_alone():
    scanner = library_corpus.accuracy(parsing.parse, CORPUS)
    alone = library_corpus.accuracy(lambda p: parsing.guessit_fields(parsing.run_guessit(p)), CORPUS)
    assert scanner["accuracy"] >= MIN_ACCURACY, scanner["misses"]
    assert scanner["accuracy"] > alone["accuracy"]


@pytest.mark.parametrize(("path", "expected", "rule"), [
    ("Anime/Show/Season 2/Show - 101.mkv", {"title": "Show", "season": 2, "absolute": 101, "episode": None},
     "anime_absolute_number"),
    ("Movies/Blade Runner (1982) {edition-Final Cut}.mkv", {"type": "movie", "edition": "Final Cut"}, "edition_tag"),
    ("TV/The Daily Show/Season 2024/The Daily Show - 2024-03-05.mkv",
     {"title": "The Daily Show", "airDate": "2024-03-05", "season": None, "year": None}, "series_folder_title"),
    ("Dune Part Two (2024).mkv", {"title": "Dune Part Two", "year": 2024}, "title_before_year"),
    ("Anime/Frieren Beyond Journey's End/Season 1/[SubsPlease] Sousou no Frieren - 12 (1080p).mkv",
     {"title": "Frieren Beyond Journey's End", "season": 1, "absolute": 12}, "series_folder_title"),
    ("Apocalypse.Now.1979.Final.Cut.1080p.mkv", {"type": "movie", "edition": "Final Cut"},
     "movie_without_episode_numbers"),
])
def test_folder_context_corrections_name_their_rule(path, expected, rule):
    guess = parsing.parse(path)
    assert {k: guess[k] for k in expected} == expected
    assert rule in guess["corrections"]


@pytest.mark.parametrize(("path", "expected"), [
    ("Shows/Dark/Staffel 2/Folge 4.mkv", {"title": "Dark", "season": 2, "episode": 4}),
    ("Friends - S10E17-E18.mkv", {"episode": 17, "episodes": [17, 18]}),
])
def test_what_guessit_gets_right_is_kept(path, expected):
    guess = parsing.parse(path)
    assert {k: guess[k] for k in expected} == expected


@pytest.mark.parametrize("name", ["", "/", "..", "x", "....mkv", "🎬🎬.mkv", "a" * 5000 + ".mkv",
                                  "\\\\server\\share\\x.avi", "[ ] - .mkv", "Season 1/", "- 01 -.mkv", "1.mkv",
                                  "S01E01.mkv"])
def test_names_nothing_can_be_read_from_still_parse(name):
    guess = parsing.parse(name)
    assert set(parsing.FIELDS) <= set(guess)
    assert guess["title"] is None or isinstance(guess["title"], str)


def test_split_name_keeps_unknown_extensions_in_the_stem():
    assert parsing.split_name("a/b/Movie (2010).mkv") == (["a", "b"], "Movie (2010)", ".mkv")
    assert parsing.split_name("Movie.2010.part") == ([], "Movie.2010.part", "")
    assert parsing.split_name("../../etc/passwd") == (["etc"], "passwd", "")
