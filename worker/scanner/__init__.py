"""The media library scanner: walk the roots, parse, probe, store, report (``loop.py`` runs it)."""
