"""Decisions about locations, with their conditions (issue 18 §1)."""
