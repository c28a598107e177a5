"""Add compiled bytecode to a Lambda deployment package (``make package`` runs it on ``deployment.zip``).

Lambda unpacks the package onto a read-only file system: Python cannot write the ``.pyc`` files it would
otherwise make once, so without them every cold start compiles each module it imports from source (about
0.4 s of the app's own code on the bench's machine). Each ``.py`` in the zip gets its
``__pycache__/<name>.cpython-<ver>.pyc`` beside it, compiled in *unchecked-hash* mode: the unpacked files'
times are whatever the unzip gave them, so the cache must not be judged by time (and the package is never
edited in place, so there is no stale source to guard against). The interpreter compiling is the runtime's:
``chalice package`` targets the Python that runs it, and so does this.
"""

from __future__ import annotations

import argparse
import py_compile
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path


def compile_into(package: Path) -> int:
    """Rewrite ``package`` with bytecode for each of its ``.py`` files; how many were compiled."""
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        with zipfile.ZipFile(package) as archive:
            infos = archive.infolist()
            archive.extractall(tree)
        compiled = 0
        for source in sorted(tree.rglob("*.py")):
            # Beside the source, as the runtime looks for it: not cache_from_source, which follows this
            # machine's PYTHONPYCACHEPREFIX out of the package.
            target = source.parent / "__pycache__" / f"{source.stem}.{sys.implementation.cache_tag}.pyc"
            try:
                py_compile.compile(str(source), cfile=str(target), doraise=True,
                                   invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            except py_compile.PyCompileError:
                continue  # a file the runtime never imports (a template, a py2 leftover): left as it was
            compiled += 1
        rebuilt = Path(scratch) / "deployment.zip"
        _rezip(tree, infos, rebuilt)
        shutil.move(str(rebuilt), package)
    return compiled


def _rezip(tree: Path, infos: list[zipfile.ZipInfo], out: Path) -> None:
    """The original entries (their permissions kept), then every new ``__pycache__`` file."""
    known = {info.filename for info in infos}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in infos:
            archive.writestr(info, (tree / info.filename).read_bytes() if not info.is_dir() else b"")
        for path in sorted(tree.rglob("__pycache__/*.pyc")):
            name = path.relative_to(tree).as_posix()
            if name not in known:
                entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                entry.external_attr = 0o644 << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, path.read_bytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Add compiled bytecode to a Lambda deployment package")
    parser.add_argument("package", type=Path, help="the deployment zip to rewrite in place")
    args = parser.parse_args(argv)
    count = compile_into(args.package)
    print(f"{args.package}: bytecode for {count} modules (python {sys.version_info.major}.{sys.version_info.minor})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
