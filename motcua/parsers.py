"""JSON request bodies read within a depth limit: DRF's parser for the API
(REST_FRAMEWORK's ``DEFAULT_PARSER_CLASSES``) and the national portal's parser
(``motcua.integrations.api``) share :func:`load_json`. Kept apart from ``motcua.api``: DRF
imports its parsers while it builds its views, so this module must not import them."""

from __future__ import annotations

import json
import re

from rest_framework import exceptions, parsers
from rest_framework.utils.json import strict_constant

from motcua.core.errors import DomainError

MAX_JSON_DEPTH = 64
TOO_DEEP = f"Dữ liệu JSON lồng nhau quá sâu (tối đa {MAX_JSON_DEPTH} cấp)."
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_AS_PARENS = str.maketrans("[{]}", "(())")


def check_json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` before it is parsed: Python's parser recurses
    and a 10,000-deep body would end in a RecursionError (a 500). Strings are taken out, the
    brackets kept, and innermost pairs removed ``limit`` times, each pass in C."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)).translate(_AS_PARENS)
    for _ in range(limit):
        shorter = brackets.replace("()", "")
        if shorter == brackets:
            return
        brackets = shorter
    if "()" in brackets:
        raise DomainError(TOO_DEEP, "invalid")


def load_json(text: str):
    """A request body's JSON, refused (400) when deeper than :data:`MAX_JSON_DEPTH` or not
    JSON; ``NaN`` and ``Infinity`` are refused as DRF does."""
    check_json_depth(text)
    try:
        return json.loads(text, parse_constant=strict_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError, JSONDecodeError are ValueErrors
        raise exceptions.ParseError() from None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the depth limit (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError() from None
        return load_json(text)
