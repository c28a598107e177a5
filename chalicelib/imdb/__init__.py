"""IMDb non-commercial datasets import (issue 23).

The five TSV dumps (title.basics, title.episode, title.ratings, name.basics, title.principals) are
fetched (``source``), split into key-range chunks and validated (``parse``, ``rows``), staged with COPY
and applied with set-based upserts (``store``), one transaction per batch, recorded as runs
(``runs``) and driven by ``service.run_import``: from the daily schedule, the admin API
(``routes``) or the CLI (``python -m chalicelib.imdb import``).
"""
