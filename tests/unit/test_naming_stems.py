"""The template cache gives naming.parse_many's answer exactly, serves siblings, and refuses what it must.

Equality is checked on every folder of the bench's 5,000-file tree and on the corpus's names: guessit
runs on every name for the reference (5,000 runs, ~25 ms each): the tree's reference is computed on every core.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import library_corpus
import pytest

from chalicelib.library import naming, naming_stems
from tests.bench.test_library_bench import tree_names


@pytest.fixture
def guessit_runs():
    """How many times guessit itself ran since the fixture started (the parse cache's misses)."""
    naming.cached_guessit.cache_clear()
    yield lambda: naming.cached_guessit.cache_info().misses
    naming.cached_guessit.cache_clear()


def _folders(paths: list[str]) -> dict[str, list[str]]:
    folders: dict[str, list[str]] = {}
    for path in paths:
        folders.setdefault(os.path.dirname(path), []).append(path)
    return folders


def _reference(task: tuple[list[str], list[str]]) -> dict[str, naming.Guess]:
    """naming.parse_many's answer for ``paths``, all of them in the folder of ``siblings`` (a part of a folder)."""
    paths, siblings = task
    return {path: naming.parse(path, siblings) for path in paths}


def reference_on_every_core(paths: list[str], part: int = 250) -> dict[str, naming.Guess]:
    """naming.parse_many(paths), each folder's names in parts spread over processes (spawned: this process holds
    threads) — guessit's CPU is the whole cost."""
    tasks = [(names[start:start + part], names) for names in _folders(paths).values()
             for start in range(0, len(names), part)]
    with ProcessPoolExecutor(os.cpu_count() or 2, mp_context=multiprocessing.get_context("spawn")) as pool:
        return {path: guess for found in pool.map(_reference, tasks) for path, guess in found.items()}


def test_the_reference_on_every_core_is_naming_parse_many():
    paths = [p for folder in list(_folders(tree_names(5000)).values())[::60] for p in folder[:40]]
    assert reference_on_every_core(paths, part=7) == naming.parse_many(paths)


@pytest.mark.timeout(1800)
def test_every_folder_of_the_bench_tree_parses_as_naming_does(guessit_runs):
    names = tree_names(5000)
    served = naming_stems.parse_many(names)
    runs = guessit_runs()
    expected = reference_on_every_core(names)
    for folder, paths in _folders(names).items():
        assert {p: served[p] for p in paths} == {p: expected[p] for p in paths}, folder
    assert runs < len(names) * 0.35, runs  # siblings shared guessit runs (1,466 of 5,000 when written)


def test_the_corpus_parses_as_naming_does():
    paths = list(dict.fromkeys(entry["path"] for entry in library_corpus.load()))
    assert naming_stems.parse_many(paths) == naming.parse_many(paths)
    for paths_of_folder in _folders(paths).values():  # and each folder on its own, as a scan's chunk sees it
        assert naming_stems.parse_many(paths_of_folder) == naming.parse_many(paths_of_folder)


def _season(template: str, numbers: range) -> list[str]:
    return [template.format(n=n) for n in numbers]


@pytest.mark.parametrize("texts", [
    _season("TV/Show/Season 01/Show - S01E{n:02d}.mkv", range(1, 9)),
    _season("Downloads/Show.S02E{n:02d}.720p.WEB.mkv", range(3, 12)),
    _season("Anime/Show/Season 1/[Group] Show - {n:02d} (1080p).mkv", range(10, 20)),
    [f"Downloads/Show.S{s:02d}E{e:02d}.720p.WEB.mkv" for s, e in ((1, 1), (1, 2), (2, 3), (3, 7))],
])
def test_siblings_that_differ_in_their_episode_numbers_share_two_guessit_runs(texts, guessit_runs):
    raws = naming_stems.guessit_all(texts)
    assert guessit_runs() == 2  # the anchor and the member that checks it
    assert raws == {text: naming.run_guessit(text) for text in texts}


@pytest.mark.parametrize("texts", [
    ["Movies/Blade Runner 2049.mkv", "Movies/Blade Runner 1982.mkv"],  # 4 digits: a year
    ["TV/9-1-1 - S01E01.mkv", "TV/9-1-2 - S01E01.mkv"],  # the title's number varies
    ["Movies/Toy Story 2 (1999).mkv", "Movies/Toy Story 3 (2010).mkv", "Movies/Toy Story 4 (2019).mkv"],
    ["Rips/Movie.2001.480p.mkv", "Rips/Movie.2001.720p.mkv"],  # a resolution, not a counter
    ["Cuts/Apollo 13.mkv", "Cuts/Apollo 18.mkv"],  # a title number guessit does not read as an episode
    ["TV/Show - S01E01.mkv", "TV/Show - S02E02.mkv"],  # every member: season and episode alike
    ["TV/Show 05 - S01E05.mkv", "TV/Show 05 - S01E06.mkv", "TV/Show 06 - S01E06.mkv"],
])
def test_numbers_that_are_not_counters_are_read_by_guessit_name_by_name(texts, guessit_runs):
    raws = naming_stems.guessit_all(texts)
    assert guessit_runs() == len(texts)
    assert raws == {text: naming.run_guessit(text) for text in texts}


def test_a_special_numbered_zero_is_read_by_guessit():
    texts = _season("TV/Show/Season 01/Show - S01E{n:02d}.mkv", range(0, 6))
    naming.cached_guessit.cache_clear()
    raws = naming_stems.guessit_all(texts)
    assert naming.cached_guessit.cache_info().misses == 3  # anchor, check, and E00 itself
    assert raws == {text: naming.run_guessit(text) for text in texts}


def test_the_nine_one_one_title_stays_a_literal_of_the_template():
    paths = _season("TV/9-1-1/Season 02/9-1-1 - S02E{n:02d}.mkv", range(1, 7))
    assert naming_stems.parse_many(paths) == naming.parse_many(paths)
    assert {p["title"] for p in naming_stems.parse_many(paths).values()} == {naming.parse(paths[0])["title"]}


def test_season_folders_of_one_show_share_a_template(guessit_runs):
    paths = [f"TV/Show/Season {s:02d}/Show - S{s:02d}E{e:02d}.mkv" for s in (1, 2, 3) for e in (1, 3, 5, 7)]
    served = naming_stems.parse_many(paths)
    assert guessit_runs() == 2  # the folder's season and the name's are one counter
    assert served == naming.parse_many(paths)
