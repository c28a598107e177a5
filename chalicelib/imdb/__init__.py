"""IMDb non-commercial datasets import (issue 23).

The five TSV dumps (title.basics, title.episode, title.ratings, name.basics, title.principals) are
fetched (``source``), cut into segments whose hashes skip what did not change (``parse``), diffed
per key and validated (``diff``, ``rows``) on a reader thread (``pipeline``), staged with COPY and
applied with set-based upserts (``store``, through the typed SQL of ``queries``), one transaction per
batch, recorded as runs (``runs``) and driven by ``service.run_import``: from the daily schedule, the
admin API (``routes``) or the CLI (``python -m chalicelib.imdb import``).
"""
