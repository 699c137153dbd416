"""Scenarios: a named set of changes against the base forecast (finance and admin write,
viewer reads)."""
