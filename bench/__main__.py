"""``python -m bench [NAME ...] [OPTIONS]``: run the named benchmarks (all by default)
and print one line each. Options after the names go to every benchmark run."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from collections.abc import Callable
from typing import cast

import bench

Runner = Callable[[list[str]], str]


def discover() -> dict[str, Runner]:
    """Every public module in ``bench/`` with a ``run`` function, so a new benchmark needs
    no registration."""
    found: dict[str, Runner] = {}
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        run = getattr(module, "run", None)
        if callable(run):
            found[info.name] = cast(Runner, run)
    return found


def main(argv: list[str]) -> int:
    benchmarks = discover()
    names: list[str] = []
    while argv and not argv[0].startswith("-"):
        name = argv.pop(0)
        if name not in benchmarks:
            print(f"unknown benchmark {name!r}; known: {', '.join(benchmarks)}", file=sys.stderr)
            return 2
        names.append(name)
    failed = 0
    for name in names or list(benchmarks):
        try:
            line = benchmarks[name](list(argv))
        except (Exception, KeyboardInterrupt) as exc:
            # One broken benchmark should not hide the others' lines; a Ctrl-C stops all.
            traceback.print_exc()
            print(f"{name}: failed ({type(exc).__name__}: {exc})", file=sys.stderr)
            failed += 1
            if isinstance(exc, KeyboardInterrupt):
                break
            continue
        print(line, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
