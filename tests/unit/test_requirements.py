"""Every third-party module the code imports is pinned where it is deployed.

A package installed by hand into a developer's venv works locally and breaks
on a fresh clone (and in Lambda); this catches it before CI does.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"app", "chalicelib", "worker", "embedded"}


def _optional(tree: ast.AST) -> set[int]:
    """Import statements inside ``try: ... except ImportError`` (optional dependencies)."""
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            guarded |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    return guarded


def imported_modules(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        tree = ast.parse(path.read_text())
        optional = _optional(tree)
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in FIRST_PARTY and m not in sys.stdlib_module_names}


def pinned(requirements: Path) -> set[str]:
    names: set[str] = set()
    for line in requirements.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            names |= pinned(requirements.parent / line[3:].strip())
        elif line:
            names.add(re.split(r"[\[=<>~!]", line)[0].strip().lower().replace("_", "-"))
    return names


def with_dependencies(names: set[str]) -> set[str]:
    """The pinned distributions plus everything they require (installed with them)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            for spec in requires(name) or []:
                if "extra ==" not in spec:
                    todo.append(re.split(r"[\s\[=<>~!;(]", spec)[0].lower().replace("_", "-"))
        except PackageNotFoundError:
            continue
    return seen


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    mapping = packages_distributions()
    return {m: {d.lower().replace("_", "-") for d in mapping.get(m, [m])} for m in modules}


def unpinned(code: list[Path], requirements: Path) -> dict[str, set[str]]:
    allowed = with_dependencies(pinned(requirements))
    return {m: dists for m, dists in distributions_of(imported_modules(code)).items() if not dists & allowed}


# Control-plane modules that only the home server imports (never a Lambda): pinned in requirements-server.txt.
HOME_ONLY = (ROOT / "chalicelib" / "observability" / "otlp.py",)  # OTLP export, only with SEEN_OTLP_ENDPOINT


def test_control_plane_imports_are_in_requirements_txt():
    code = [path for path in [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")] if path not in HOME_ONLY]
    missing = unpinned(code, ROOT / "requirements.txt")
    # chalice itself is added to the Lambda bundle by `chalice package`.
    missing.pop("chalice", None)
    assert missing == {}


def test_home_only_imports_are_in_requirements_server_txt():
    assert unpinned(list(HOME_ONLY), ROOT / "requirements-server.txt") == {}


def test_worker_imports_are_in_worker_requirements_txt():
    worker = list((ROOT / "worker").rglob("*.py"))
    shared = [ROOT / "chalicelib" / f"{name}.py" for name in ("aws", "logs", "messages", "telemetry")]
    shared += (ROOT / "chalicelib" / "config").glob("*.py")
    shared.append(ROOT / "chalicelib" / "library" / "naming.py")  # the one name parser, also the scanner's
    assert unpinned(worker + shared, ROOT / "worker" / "requirements.txt") == {}
