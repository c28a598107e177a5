"""scripts/check_layers.py: the two layering rules import-linter cannot state."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_layers", ROOT / "scripts" / "check_layers.py")
assert _spec is not None and _spec.loader is not None
check_layers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_layers)


def findings(tmp_path: Path, relative: str, source: str) -> list[str]:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    check_layers.ROOT = tmp_path
    try:
        return check_layers.check_file(path)
    finally:
        check_layers.ROOT = ROOT


def test_an_import_inside_a_function_needs_a_reason_on_its_line(tmp_path):
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import psycopg\n"
        "import os\n"
        "def fast():\n"
        "    import redis  # lazy: a slow import\n"
        "def slow():\n"
        "    import json\n"
        "    def inner():\n"
        "        from chalicelib import cache\n"
    )
    assert findings(tmp_path, "chalicelib/kernelish.py", source) == [
        "chalicelib/kernelish.py:8: import inside a function without a trailing '# reason' comment",
        "chalicelib/kernelish.py:10: import inside a function without a trailing '# reason' comment",
    ]


def test_db_queries_is_reached_only_from_a_domain_queries_module(tmp_path):
    source = "from chalicelib import db\n\ndef rows(conn):\n    return db.queries().rows(conn)\n"
    assert findings(tmp_path, "chalicelib/tracking/queries.py", source) == []
    assert findings(tmp_path, "chalicelib/tracking/service.py", source) == [
        "chalicelib/tracking/service.py:4: db.queries() outside a chalicelib/<domain>/queries.py module"]
    aliased = "from chalicelib.db import queries as q\n\nQ = q\n"
    assert findings(tmp_path, "worker/thing.py", aliased) == [
        "worker/thing.py:3: db.queries() outside a chalicelib/<domain>/queries.py module"]


def test_the_shipped_kernel_and_worker_keep_both_rules():
    paths = ["app.py", "server", "chalicelib/db", "chalicelib/config", "chalicelib/api.py", "chalicelib/aws.py",
             "chalicelib/cache.py", "worker/scanner", "worker/stream", "worker/uploader.py"]
    assert [f for p in check_layers.python_files(paths) for f in check_layers.check_file(p)] == []
