"""The two layering rules import-linter cannot state, checked over the shipped Python.

1. An import inside a function is there for cold-start time (or to keep a big optional module off a hot path) and
   says so: it carries a trailing ``# reason`` comment on its line. ``if TYPE_CHECKING:`` blocks are exempt.
2. ``db.queries()`` is reached only from a domain's ``chalicelib/<domain>/queries.py``: one typed query layer.

Usage: ``python scripts/check_layers.py [paths...]`` (default: chalicelib, worker, app.py, server). Prints one line per
finding as ``path:line: message`` and exits 1 when there is any.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ("chalicelib", "worker", "app.py", "server")
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def python_files(paths: list[str]) -> Iterator[Path]:
    for raw in paths:
        path = (ROOT / raw) if not Path(raw).is_absolute() else Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
        elif path.suffix == ".py":
            yield path


def comment_lines(source: str) -> set[int]:
    """The line numbers that end in a comment."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {tok.start[0] for tok in tokens if tok.type == tokenize.COMMENT}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_in_functions(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement nested in a function body, outside ``if TYPE_CHECKING:`` blocks."""

    def visit(node: ast.AST, in_function: bool) -> Iterator[ast.Import | ast.ImportFrom]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in child.orelse:
                    yield from visit(sub, in_function)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom) and in_function:
                yield child
            yield from visit(child, in_function or isinstance(child, FUNCTIONS))

    yield from visit(tree, False)


def _reaches_db_queries(node: ast.expr, queries_names: set[str]) -> bool:
    """``db.queries`` / ``chalicelib.db.queries`` as an attribute, or a name imported as ``db.queries``."""
    if isinstance(node, ast.Attribute) and node.attr == "queries":
        base = node.value
        return (isinstance(base, ast.Name) and base.id == "db") or (
            isinstance(base, ast.Attribute) and base.attr == "db"
        )
    return isinstance(node, ast.Name) and node.id in queries_names


def db_queries_uses(tree: ast.AST) -> Iterator[ast.expr]:
    queries_names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "chalicelib.db"
        for alias in node.names
        if alias.name == "queries"
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute | ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        if _reaches_db_queries(node, queries_names):
            yield node


def may_call_db_queries(path: Path) -> bool:
    """A domain's ``queries.py`` and the db package that defines ``queries()``."""
    rel = path.relative_to(ROOT).parts
    in_domain_layer = len(rel) == 3 and rel[0] == "chalicelib" and rel[2] == "queries.py"
    return in_domain_layer or rel[:2] == ("chalicelib", "db")


def check_file(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    rel = path.relative_to(ROOT)
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        return [f"{rel}:{error.lineno}: does not parse: {error.msg}"]
    commented = comment_lines(source)
    findings = [
        f"{rel}:{node.lineno}: import inside a function without a trailing '# reason' comment"
        for node in imports_in_functions(tree)
        if node.lineno not in commented and (node.end_lineno or node.lineno) not in commented
    ]
    if not may_call_db_queries(path):
        findings += [
            f"{rel}:{node.lineno}: db.queries() outside a chalicelib/<domain>/queries.py module"
            for node in db_queries_uses(tree)
        ]
    return findings


def main(argv: list[str]) -> int:
    findings = [finding for path in python_files(argv or list(DEFAULT_PATHS)) for finding in check_file(path)]
    for finding in findings:
        print(finding)
    if findings:
        print(f"check_layers: {len(findings)} finding(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
