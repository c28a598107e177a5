"""/seen/'s server side: the Chalice app's domains and the kernel they share (docs/architecture.md)."""

import sys

# httpx imports its command-line client (click, rich, pygments) whenever click is installed, and Chalice's own
# CLI installs click: ~45 ms and 5 MB in every process that makes an HTTP call (API workers, consumers, the
# worker). No /seen/ process runs httpx's CLI; a None entry makes that optional import fail at once, as httpx
# expects when the CLI's extras are missing. (chalicelib is imported before httpx in every entry point.)
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]  # (None: "not importable")
