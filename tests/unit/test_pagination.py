from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from shared.errors import DomainError
from shared.pagination import decode_cursor, encode_cursor


@dataclass
class Row:
    created_at: datetime
    id: str


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def test_a_cursor_decodes_to_the_position_of_its_row() -> None:
    # given
    row = Row(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC), "row-1")

    # when
    position = decode_cursor(encode_cursor(row))

    # then
    assert position == (row.created_at, "row-1")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        "é",
        _b64("not a date|row-1"),
        _b64("2026-01-01T00:00:00|row-1"),
        _b64("2026-01-01T00:00:00+00:00"),
        _b64("2026-01-01T00:00:00+00:00|"),
        _b64("2026-01-01T00:00:00+00:00|row\x00-1"),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
    ids=[
        "not-base64",
        "empty",
        "not-ascii",
        "not-a-time",
        "naive-time",
        "no-id",
        "empty-id",
        "nul-in-id",
        "not-utf8",
    ],
)
def test_a_cursor_not_made_here_is_bad_input_on_after(cursor: str) -> None:
    # when
    with pytest.raises(DomainError) as raised:
        decode_cursor(cursor)

    # then
    assert (raised.value.code, raised.value.message, raised.value.field) == (
        "BAD_USER_INPUT",
        "The cursor is not valid.",
        "after",
    )
