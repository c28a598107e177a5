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


def _per_class(results: dict) -> dict[str, dict[str, float]]:
    return {f"{cls}/{split}": result["accuracy"] for (cls, split), result in results.items()}


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
    project = corpus.by_class(parsing.parse, entries)
    alone = corpus.by_class(lambda p: parsing.guessit_fields(parsing.run_guessit(p)), entries)
    assert all(project[key]["accuracy"] >= alone[key]["accuracy"] for key in project), corpus.table(project, alone)
    print("\n" + corpus.table(project, alone))
    accuracy = {"project": _per_class(project), "guessit_alone": _per_class(alone)}
    benchmark.extra_info.update(names=len(paths), accuracy=accuracy,
                                names_per_second_cold=round(len(paths) / stats["median"], 1),
                                names_per_second_warm=round(len(paths) / warm["median"], 1))
    report.ratio(f"naming: parsing the {len(paths)}-name corpus (cold cache) vs guessit alone", stats, reference,
                 subject_label="parse (guessit + evidence rules), guessit cache cleared each round",
                 reference_label="guessit alone", names_per_second=round(len(paths) / stats["median"], 1),
                 warm_cache_names_per_second=round(len(paths) / warm["median"], 1))
    report.figure("naming: all-fields-right accuracy per class (class/split)", names=len(paths), **accuracy)
