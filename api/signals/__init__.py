"""Signals (signalen) and their follow-up actions."""
