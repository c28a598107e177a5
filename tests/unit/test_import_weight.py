"""What importing the HTTP client costs a process: httpx without its command-line client (chalicelib/__init__.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
import chalicelib, httpx
with httpx.Client() as client:  # the client still works
    pass
print(json.dumps(sorted(name for name in ("httpx._main", "click", "rich", "pygments") if sys.modules.get(name))))
"""


def test_httpx_comes_without_its_command_line_client_click_rich_and_pygments():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True,
                          timeout=60)
    assert json.loads(done.stdout) == []
