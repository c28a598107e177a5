"""Picks and the wanted list (routes land with the picks service)."""

from __future__ import annotations

from chalice import Blueprint

bp = Blueprint(__name__)
