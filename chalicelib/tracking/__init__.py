"""Per-user tracking: watch later, watch history, progress and continue watching,
ratings, favorites, follows, game backlog, personal collections and export.

``routes.py`` is the HTTP edge; one module per concern holds the rules
(``watchlist``, ``history``, ``progress``, ``follows``, ``backlog``,
``collections``, ``export``), each taking a connection first; ``service``
runs writes in one transaction and applies the cache rules once committed;
``queries`` is the one way to tracking's SQL (typed rows in ``rows``).
"""
