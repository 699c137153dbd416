"""The communication log (issue 18)."""
