"""Personal data must never reach a log line (domain.md, "Privacy").

``register`` collects the identifying values the test builders write (BSN, V-number,
names, dates of birth); ``LogCapture`` writes every log record of a test run to a file;
``leaks`` finds in such lines the registered values, anything shaped like a BSN (nine
digits passing the 11-proef) and anything shaped like a V-number. ``tests/conftest.py``
captures the whole run and fails it at the end on a leak; ``tests/test_log_privacy.py``
does the same for one burst of traffic at DEBUG.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from api.logs import JsonFormatter
from api.participants.bsn import is_valid_bsn

# Shorter values (``"X"``, ``"V1"``) would match innocent text; the patterns cover them.
_MIN_LENGTH = 4
_registered: set[str] = set()

_BSN_SHAPE = re.compile(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])")
_V_NUMBER_SHAPE = re.compile(r"(?<![0-9A-Za-z])V-?[0-9]{7,10}(?![0-9A-Za-z])")


def forms(value: object) -> set[str]:
    """The spellings of a value a log line might carry."""
    if value is None:
        return set()
    if isinstance(value, date):
        return {value.isoformat(), value.strftime("%d-%m-%Y"), value.strftime("%Y%m%d")}
    text = str(value).strip()
    return {text} if len(text) >= _MIN_LENGTH else set()


def register(*values: object) -> None:
    for value in values:
        _registered.update(forms(value))


def registered() -> frozenset[str]:
    return frozenset(_registered)


def leaks(lines: Iterable[str], values: Iterable[str] = ()) -> list[str]:
    """``"<what>: <line>"`` for every line that carries personal data."""
    exact = sorted({*values}, key=len, reverse=True)
    found = []
    for line in lines:
        for value in exact:
            if value in line:
                found.append(f"{value!r}: {line}")
        for match in _BSN_SHAPE.findall(line):
            if is_valid_bsn(match):
                found.append(f"BSN-shaped {match}: {line}")
        for match in _V_NUMBER_SHAPE.findall(line):
            found.append(f"V-number-shaped {match}: {line}")
    return found


class LogCapture(logging.Handler):
    """Every record as one JSON line (message, extras, traceback), to a file or a list.

    The file is opened per record: ``logging.config.dictConfig`` (uvicorn in a live-server
    test) closes every existing handler, and a capture must outlive that."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(logging.NOTSET)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []
        self.path = path

    def emit(self, record: logging.LogRecord) -> None:
        try:
            try:
                line = self.format(record)
                # The raw arguments too, in case a formatter would hide them.
                if record.args:
                    line += " " + json.dumps(repr(record.args))
            except Exception:  # a broken record is itself worth seeing
                line = f"unformattable record from {record.name}: {record.msg!r} {record.args!r}"
            if self.path is None:
                self.lines.append(line)
            else:
                with self.path.open("a", encoding="utf-8") as out:
                    out.write(line + "\n")
        except Exception:  # a log handler never breaks the code that logs
            self.handleError(record)


def attach(handler: logging.Handler, *names: str) -> None:
    """Put ``handler`` on these loggers (the root logger: ``""``) unless it is there."""
    for name in names:
        logger = logging.getLogger(name)
        if handler not in logger.handlers:
            logger.addHandler(handler)
