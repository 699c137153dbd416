"""Meetings with residents and the agreements made there (issue 18)."""
