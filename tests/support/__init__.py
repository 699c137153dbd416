"""Helpers shared by the tests and the CI scripts."""
