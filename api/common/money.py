"""Money on the wire: a decimal string in euros with two places (``"1234.50"``), never a
float (api.md, conventions).

Use ``Money`` as a field type in request and response schemas::

    from api.common.money import Money, NonNegativeMoney

    class ExpenseCreate(ApiModel):
        amount: Money  # refunds may be negative

    class RateCreate(ApiModel):
        amount: NonNegativeMoney

In Python the value is a ``Decimal`` quantized to cents, ready for the ``Money`` column
type of ``api.models.base`` (whole cents in the database).

Input: a JSON *string* only, an optional minus sign, digits, and at most two decimals
with a point: ``"12"``, ``"12.5"`` and ``"12.50"`` are all 12.50; ``"-3.20"`` is a
refund. Refused with a 400 naming the field (``errors[].name`` is the field's camelCase
name): JSON numbers (``12.5`` would travel as a binary float), more than two decimals
(``"1.005"``: never rounded silently), a decimal comma, exponents, spaces, ``"NaN"`` and
amounts of a trillion euros or more.

Output: in JSON (FastAPI responses, ``model_dump(mode="json")``, ``model_dump_json()``)
always a string with exactly two places (``Decimal("61")`` -> ``"61.00"``); a Python-mode
``model_dump()`` keeps the ``Decimal``, ready for the ORM. ``format_money`` formats one
value the same way (CSV exports and the like).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

CENT = Decimal("0.01")

# Up to 12 digits before the point: far beyond any budget, well inside BIGINT cents.
MONEY_PATTERN = r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$"
NON_NEGATIVE_MONEY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
_MONEY_RE = re.compile(MONEY_PATTERN)


def parse_money(value: Any) -> Decimal:
    """A wire value as euros with two places; ``ValueError`` (a 400) otherwise."""
    if isinstance(value, Decimal):
        # Built in Python (services, tests), not from JSON: still never rounded.
        if not value.is_finite() or value != value.quantize(CENT):
            raise PydanticCustomError("money_format", "An amount has at most two decimals.")
        return value.quantize(CENT)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "money_format", 'An amount is a decimal string such as "1234.50", not a number.'
        )
    if not _MONEY_RE.fullmatch(value):
        raise PydanticCustomError(
            "money_format",
            'An amount is a decimal string with at most two decimals, such as "1234.50".',
        )
    return Decimal(value).quantize(CENT)


def format_money(value: Decimal) -> str:
    """Euros as a string with exactly two places."""
    return f"{Decimal(value).quantize(CENT):.2f}"


def _not_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError("money_negative", "An amount here cannot be negative.")
    return value


_serialize = PlainSerializer(format_money, return_type=str, when_used="json")

Money = Annotated[
    Decimal,
    BeforeValidator(parse_money),
    _serialize,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONEY_PATTERN,
            "description": "Euros as a decimal string; answered with exactly two places.",
            "examples": ["1234.50"],
        }
    ),
]
"""Euros, possibly negative (a refund, a correction)."""

NonNegativeMoney = Annotated[
    Decimal,
    BeforeValidator(parse_money),
    AfterValidator(_not_negative),
    _serialize,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": NON_NEGATIVE_MONEY_PATTERN,
            "description": "Euros, zero or more, as a decimal string; answered with two places.",
            "examples": ["1234.50"],
        }
    ),
]
"""Euros, zero or more (rates, amounts received)."""
