"""When a request is sent again, and after how long.

Retried: connection failures (refused, reset, timed out) and the answers 429, 502, 503
and 504 -- only for requests that are safe to send twice:

* ``GET``, ``HEAD``, ``OPTIONS``: reads.
* ``PUT`` (attendance) and ``DELETE``: idempotent by nature. A ``DELETE`` whose earlier
  attempt may have reached the server (the answer was lost) and whose retry answers 404
  counts as done.
* ``POST``: only with an ``Idempotency-Key``. The client gives every logical POST a
  fresh uuid4 key (or the one you pass) and sends the *same* key on each retry, so the
  API replays its first answer (``Idempotent-Replayed: true``) instead of creating a
  second record. A 409 meaning "this key is still being processed" is retried too.
* ``PATCH``: only with ``If-Match`` (the record's ``version``). Without it a PATCH is
  not retried. With it, if the first attempt was applied and its answer lost, the retry
  answers 412 (:class:`~opvang_client.errors.PreconditionFailed`): read the record
  again, nothing was applied twice.

The wait is exponential (``backoff * 2**n``, capped at ``backoff_max``, with jitter)
unless the answer says ``Retry-After``, which is honoured as is. A ``Retry-After``
longer than ``max_retry_after`` is not waited for: the error is raised at once (the
login throttle asks for fifteen minutes; a script should decide that, not sleep).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["NO_RETRY", "RetryPolicy", "may_retry"]

_SAFE = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    """Attempts in all, the first included (1: never retry)."""
    backoff: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 60.0
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 502, 503, 504}))

    def backoff_delay(self, retry: int) -> float:
        """The wait before retry number ``retry`` (0 for the first retry)."""
        ceiling = min(self.backoff_max, self.backoff * (2.0**retry))
        return ceiling * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not crypto

    def delay_after(self, retry: int, headers: Mapping[str, str]) -> float | None:
        """The wait before retrying an answer, or None when it is not worth waiting."""
        value = headers.get("retry-after")
        if value is None:
            return self.backoff_delay(retry)
        seconds = parse_retry_after(value)
        if seconds is None:
            return self.backoff_delay(retry)
        return seconds if seconds <= self.max_retry_after else None


NO_RETRY = RetryPolicy(attempts=1)


def parse_retry_after(value: str) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def may_retry(method: str, headers: Mapping[str, str]) -> bool:
    """Whether sending this request twice is safe (see the module's notes)."""
    method = method.upper()
    if method in _SAFE:
        return True
    if method == "POST":
        return "idempotency-key" in headers
    if method == "PATCH":
        return "if-match" in headers
    return False
