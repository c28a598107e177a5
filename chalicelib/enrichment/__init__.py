"""Enrichment at a glance: per-source coverage, pause, retry and manual matches (admin -> Catalog data)."""
