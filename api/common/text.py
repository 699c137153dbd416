"""Free text that is trimmed, with a schema that says exactly what is accepted.

Trimming before the length check (pydantic's ``strip_whitespace``) accepted a 301-character
name ending in a space where the schema says at most 300, and a blank name passed the
schema's ``minLength``. Here the length is checked on the text as sent, blank text is
refused, and the schema says so with a ``pattern``; the stored text is the trimmed one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from api.participants.bsn import is_valid_bsn


@dataclass(frozen=True)
class Trimmed:
    """Annotation after ``StringConstraints(min_length=n, max_length=m)``: at least
    ``min_length`` characters must remain once spaces at the ends are cut off."""

    min_length: int = 1

    @property
    def pattern(self) -> str:
        # Non-space first and last, so the trimmed text has at least min_length characters.
        if self.min_length <= 1:
            return r"\S"
        return rf"\S[\s\S]{{{self.min_length - 2},}}\S"

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._trim, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema

    def _trim(self, value: str) -> str:
        trimmed = value.strip()
        if len(trimmed) < self.min_length:
            # Its own error type: a shape the schema describes, not a rule of ours.
            raise PydanticCustomError(
                "string_blank",
                "Must not be blank."
                if self.min_length <= 1
                else "At least {n} characters, not counting spaces at the ends.",
                {"n": self.min_length},
            )
        return trimmed


# Characters no name holds: controls (ANSI escapes start with one), surrogates, private
# use, and format characters (bidi embeddings, overrides and isolates, zero-width space,
# word joiner, BOM, invisible tags) -- except the zero-width (non-)joiner, which Persian
# and Indic names spell with.
_ALLOWED_FORMAT = frozenset({"\u200c", "\u200d"})
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Co"})
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")


@dataclass(frozen=True)
class Printable:
    """Annotation after ``Trimmed`` on the names of people and places: refuses control
    characters, direction overrides and text of invisible characters only; anything
    else is kept as sent (accents, scripts, apostrophes, hyphens)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["description"] = (
            json_schema.get("description", "") + " "
        ).lstrip() + "No control characters, direction overrides or invisible-only text."
        return json_schema

    @staticmethod
    def _check(value: str) -> str:
        if value.isascii() and value.isprintable():  # the common case: no table look-ups
            return value
        visible = False
        for char in value:
            category = unicodedata.category(char)
            if category in _REFUSED_CATEGORIES or (
                category == "Cf" and char not in _ALLOWED_FORMAT
            ):
                raise PydanticCustomError(
                    "string_unprintable",
                    "Must not contain control characters, direction overrides or other "
                    "invisible formatting characters.",
                )
            visible = visible or category.startswith(_VISIBLE_CATEGORIES)
        if not visible:
            raise PydanticCustomError(
                "string_invisible", "Must contain at least one visible character."
            )
        return value


# Nine digits, alone or grouped by spaces, dots or hyphens (123456782, 1234.56.782,
# 123 456 782), not part of a longer number.
_BSN_LIKE = re.compile(r"(?<![\d.\-])(?:\d[ .\-]?){8}\d(?![\d])")


def holds_bsn_like(value: str) -> bool:
    """Whether the text holds a number that could be a BSN (nine digits passing the 11-test)."""
    return any(is_valid_bsn(re.sub(r"\D", "", m.group())) for m in _BSN_LIKE.finditer(value))


@dataclass(frozen=True)
class NoBsn:
    """Annotation on free text about residents and locations (summaries, notes, evidence):
    refuses text that holds a BSN-like number, since such text is read by partners and
    council members and a BSN must never end up there. The message does not repeat it."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["description"] = (
            json_schema.get("description", "") + " "
        ).lstrip() + "Must not hold a citizen service number (BSN)."
        return json_schema

    @staticmethod
    def _check(value: str) -> str:
        if holds_bsn_like(value):
            raise PydanticCustomError(
                "text_holds_bsn",
                "This text seems to hold a citizen service number (BSN). Leave personal "
                "numbers out: describe what happened, not who.",
            )
        return value
