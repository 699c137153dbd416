"""Enrollments: participants taking part in activities."""
