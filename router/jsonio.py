"""JSON for the router's hot path: orjson, with the standard library where orjson refuses.

orjson keeps key order and is several times faster than ``json``, but refuses integers
beyond 64 bits, non-string keys and strings that are not valid UTF-8 (lone surrogates,
other encodings) which ``json`` takes. Falling back to ``json`` then keeps every answer
the same as with ``json`` alone; invalid JSON raises ``json``'s own error. One
difference: orjson writes NaN and infinities as ``null`` (``json`` writes ``NaN``, which
is not JSON); parsed JSON never holds them.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(value: Any) -> bytes:
    """Compact JSON (no spaces), in the dicts' key order."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value, separators=(",", ":")).encode()


def loads(content: bytes | str) -> Any:
    """Raises ``json.JSONDecodeError`` (or ``UnicodeDecodeError``) as ``json.loads`` does."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)
