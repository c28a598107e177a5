"""Recommendations: per-user snapshots with explainable scores, dismissals, onboarding genres."""
