"""Keyset pagination over (created_at, id) with opaque cursors, for any table that has both.

A page reads one row more than it returns: that row only tells whether a next page exists.
A cursor is the base64 of the last row's position, so a client cannot depend on its form.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, Generic, Protocol, TypeVar

from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped

from shared.errors import bad_input

MAX_PAGE_SIZE = 100


class Keyed(Protocol):
    """A mapped row with a creation time and a unique id: the order pages follow."""

    # ClassVar: mapped columns are descriptors on the class, so the model gives column
    # expressions (InstrumentedAttribute) and a row gives values.
    created_at: ClassVar[Mapped[datetime]]
    id: ClassVar[Mapped[str]]


R = TypeVar("R", bound=Keyed)


@dataclass(frozen=True)
class Page(Generic[R]):
    rows: list[R]
    has_next_page: bool


async def paginate(
    db: AsyncSession,
    stmt: Select[R],
    model: type[R],
    *,
    first: int,
    after: str | None,
    newest_first: bool = False,
) -> Page[R]:
    """The ``first`` rows of ``stmt`` (unordered) after the cursor ``after``, oldest first
    unless ``newest_first``.

    BAD_USER_INPUT on field ``first`` outside 1..MAX_PAGE_SIZE, on ``after`` for a cursor
    this module did not make.
    """
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise bad_input(f"first must be between 1 and {MAX_PAGE_SIZE}.", field="first")
    position = tuple_(model.created_at, model.id)
    if after is not None:
        cursor = tuple_(*decode_cursor(after))
        stmt = stmt.where(position < cursor if newest_first else position > cursor)
    if newest_first:
        stmt = stmt.order_by(model.created_at.desc(), model.id.desc())
    else:
        stmt = stmt.order_by(model.created_at, model.id)
    rows = list(await db.scalars(stmt.limit(first + 1)))
    return Page(rows[:first], has_next_page=len(rows) > first)


def encode_cursor(row: Keyed) -> str:
    """The opaque position of ``row``, to pass as ``after`` for the rows that follow it."""
    return base64.urlsafe_b64encode(f"{row.created_at.isoformat()}|{row.id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The (created_at, id) a cursor holds; BAD_USER_INPUT on field ``after`` otherwise."""
    try:
        text, _, row_id = base64.urlsafe_b64decode(cursor).decode().partition("|")
        created_at = datetime.fromisoformat(text)
        if created_at.tzinfo is not None:
            # As asyncpg sends it; the calendar's first and last hours have no UTC time.
            created_at = created_at.astimezone(UTC)
    except (ValueError, OverflowError):
        created_at = None
    # The id reaches SQL: PostgreSQL text cannot hold NUL, nor do ids hold control characters.
    if created_at is None or created_at.tzinfo is None or not row_id or not row_id.isprintable():
        raise bad_input("The cursor is not valid.", field="after")
    return created_at, row_id
