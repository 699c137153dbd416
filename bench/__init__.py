"""Benchmarks: each measures ours against a reference in one run on one machine and
prints one line, ``NAME: ratio=R (ours X unit, reference Y unit)``.

Ratios rather than absolute numbers, because absolute times on a shared machine are
noise. Run them by hand (``make bench`` or ``python -m bench NAME``); they never fail a
build. A benchmark is a module here with ``run(argv: list[str]) -> str``; modules whose
names start with ``_`` are helpers.
"""
