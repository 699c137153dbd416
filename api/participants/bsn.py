"""The BSN 11-test (elfproef)."""

from __future__ import annotations

from pydantic_core import PydanticCustomError


def is_valid_bsn(value: str) -> bool:
    """9 digits, not all zeros, with 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11."""
    if len(value) != 9 or not value.isascii() or not value.isdigit() or value == "0" * 9:
        return False
    digits = [int(c) for c in value]
    total = sum(weight * d for weight, d in zip(range(9, 1, -1), digits[:8], strict=True))
    return (total - digits[8]) % 11 == 0


def check_bsn(value: str) -> str:
    """Pydantic validator: the message never repeats the number (errors may be logged)."""
    if not is_valid_bsn(value):
        raise PydanticCustomError(
            "bsn_checksum", "Not a valid BSN: it must be 9 digits that pass the 11-test."
        )
    return value
