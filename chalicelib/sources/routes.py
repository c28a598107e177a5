"""Indexer administration and the source search (routes land with the sources service)."""

from __future__ import annotations

from chalice import Blueprint

bp = Blueprint(__name__)
