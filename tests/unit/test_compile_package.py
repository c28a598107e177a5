"""scripts/compile_package.py: a Lambda package carries bytecode its read-only unpacked copy is imported from."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("compile_package", ROOT / "scripts" / "compile_package.py")
assert spec is not None and spec.loader is not None
compile_package = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compile_package)


def test_each_module_gets_bytecode_that_is_used_whatever_the_unpacked_files_times(tmp_path):
    package = tmp_path / "deployment.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("app.py", "import pkg.mod\nVALUE = pkg.mod.VALUE\n")
        archive.writestr("pkg/__init__.py", "")
        archive.writestr("pkg/mod.py", "VALUE = 'compiled'\n")
        archive.writestr("pkg/py2_only.py", "print 'never imported'\n")  # not Python 3: left alone
        run = zipfile.ZipInfo("bin/run.sh")
        run.external_attr = 0o755 << 16
        archive.writestr(run, "#!/bin/sh\n")

    assert compile_package.compile_into(package) == 3

    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        tag = sys.implementation.cache_tag
        assert {f"__pycache__/app.{tag}.pyc", f"pkg/__pycache__/mod.{tag}.pyc"} <= names
        assert f"pkg/__pycache__/py2_only.{tag}.pyc" not in names
        assert archive.getinfo("bin/run.sh").external_attr >> 16 == 0o755
        archive.extractall(tmp_path / "task")
    # The source changes after packaging (and its time with it): the interpreter still runs the bytecode,
    # so it was read from the package, not compiled again.
    (tmp_path / "task" / "pkg" / "mod.py").write_text("VALUE = 'compiled from source'\n")
    out = subprocess.run([sys.executable, "-c", "import app; print(app.VALUE)"], cwd=tmp_path / "task",
                         env={**{name: value for name, value in os.environ.items() if name != "PYTHONPYCACHEPREFIX"},
                              "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": ""},  # as Lambda runs it
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "compiled"
