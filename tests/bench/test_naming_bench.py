"""The name parser on the naming corpus (tests/data/naming): all-fields-right accuracy per class, tuning and
validation apart, for the project's parse and for guessit alone in the same run, and parse throughput with
a cold guessit cache (the scanner's first scan) and a warm one (names repeated). Nothing here asserts on time;
the evidence rules must not lose to guessit alone in any class."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .conftest import bench_size, benchmark_stats, measure

ROOT = Path(__file__).resolve().parents[2]


def _corpus():
    spec = importlib.util.spec_from_file_location("library_corpus", ROOT / "tests" / "unit" / "library_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flat(results: dict) -> dict[str, float]:
    """``{"class/split": accuracy}`` (or "source/split")."""
    return {f"{group}/{split}": result["accuracy"] for (group, split), result in results.items()}


def test_naming_accuracy_per_class_and_parse_throughput_vs_guessit(benchmark, report):
    from chalicelib.library import naming as parsing

    corpus = _corpus()
    entries = corpus.load()[::bench_size(1, 4)]  # smoke mode: every fourth name, every class still in
    paths = [entry["path"] for entry in entries]
    benchmark.pedantic(lambda: [parsing.parse(p) for p in paths], setup=parsing.cached_guessit.cache_clear,
                       rounds=3, iterations=1, warmup_rounds=1)
    stats = benchmark_stats(benchmark)
    reference = measure(lambda: [parsing.run_guessit(p) for p in paths], rounds=3, warmup=1)
    warm = measure(lambda: [parsing.parse(p) for p in paths], rounds=3, warmup=1)
    ours = {p: parsing.parse(p) for p in paths}
    theirs = {p: parsing.guessit_fields(parsing.run_guessit(p)) for p in paths}
    project, alone = corpus.by_class(ours.__getitem__, entries), corpus.by_class(theirs.__getitem__, entries)
    if len(entries) == len(corpus.load()):  # smoke mode parses every fourth name: a split of five proves nothing
        # (the unit test holds the whole corpus to it: tests/unit/test_library_parse.py)
        assert all(project[key]["accuracy"] >= alone[key]["accuracy"] for key in project), \
            corpus.table(project, alone)
    sources = corpus.by_source(ours.__getitem__, entries), corpus.by_source(theirs.__getitem__, entries)
    print("\n" + corpus.table(project, alone) + "\n" + corpus.table(*sources, heading="source"))
    accuracy = {"project": _flat(project), "guessit_alone": _flat(alone)}
    per_source = {"project": _flat(sources[0]), "guessit_alone": _flat(sources[1])}
    benchmark.extra_info.update(names=len(paths), accuracy=accuracy,
                                names_per_second_cold=round(len(paths) / stats["median"], 1),
                                names_per_second_warm=round(len(paths) / warm["median"], 1))
    report.ratio(f"naming: parsing the {len(paths)}-name corpus (cold cache) vs guessit alone", stats, reference,
                 subject_label="parse (guessit + evidence rules), guessit cache cleared each round",
                 reference_label="guessit alone", names_per_second=round(len(paths) / stats["median"], 1),
                 warm_cache_names_per_second=round(len(paths) / warm["median"], 1))
    report.figure("naming: all-fields-right accuracy per class (class/split)", names=len(paths), **accuracy)
    report.figure("naming: all-fields-right accuracy per source (source/split)", names=len(paths), **per_source)
