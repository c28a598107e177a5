"""Small helpers shared by the browser tests (conftest.py holds the fixtures)."""

from __future__ import annotations

import urllib.error
import urllib.request

from embedded.services import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"


def fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)
    except OSError:
        return 0, b"", {}
