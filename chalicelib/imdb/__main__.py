"""``python -m chalicelib.imdb import [--from DIR] [--force] [--batch-rows N]``: run the import here."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from chalicelib.imdb.rows import NAMES

if TYPE_CHECKING:
    from chalicelib.imdb.runs import Run
    from chalicelib.imdb.service import Summary

COLUMNS = ("read", "malformed", "skipped", "inserted", "updated", "unchanged")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.imdb", description="IMDb datasets import")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("import", help="import the datasets (skips files equal to the last import)")
    run.add_argument("--from", dest="directory", help="read the .tsv.gz files from this directory")
    run.add_argument("--force", action="store_true", help="re-read every file and row even when unchanged")
    run.add_argument("--batch-rows", type=int, help="lines per batch (one transaction each)")
    return parser


def _progress(started: float) -> Callable[[Run], None]:
    def show(run: Run) -> None:
        print(f"  {time.monotonic() - started:7.1f}s  {run.current_file:<17} {run.rows_done:>12,} lines",
              flush=True)

    return show


def _print_summary(summary: Summary) -> None:
    print(f"run {summary['runId']}: {summary['status']}" + (f" ({summary['error']})" if summary["error"] else ""))
    print(f"  {'file':<17} {'status':<8} " + " ".join(f"{c:>10}" for c in COLUMNS))
    for name in NAMES:
        figures = summary["files"][name]
        print(f"  {name:<17} {figures['status']:<8} " + " ".join(f"{figures[c]:>10,}" for c in COLUMNS))
        for sample in figures["samples"]:
            print(f"      malformed: {sample}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from chalicelib.imdb import service  # lazy: --help and usage errors answer without loading the pipeline

    started = time.monotonic()
    options = service.Options(directory=args.directory, force=args.force, trigger="cli", batch_rows=args.batch_rows)
    try:
        summary = service.run_import(options, on_batch=_progress(started))
    except service.ImportRunning as exc:
        print(exc.message, file=sys.stderr)
        return 2
    _print_summary(summary)
    print(f"took {time.monotonic() - started:.1f}s")
    return 0 if summary["status"] in ("succeeded", "skipped", "partial") else 1


if __name__ == "__main__":
    sys.exit(main())
