"""Expenses of the programme."""
