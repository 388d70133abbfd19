from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events.outbox import enqueue
from tests.integration.events.demo import NOTES, OUTBOX, add_note, all_rows, note_created


async def test_rolled_back_state_change_leaves_no_event(
    demo_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    event = note_created("notes", "note-1")

    # when
    async with demo_db() as db:
        await add_note(db, "note-1", "hello")
        await enqueue(db, event)
        await db.rollback()

    # then
    assert await all_rows(demo_db, NOTES) == []
    assert await all_rows(demo_db, OUTBOX) == []


async def test_committed_state_change_commits_its_event(
    demo_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    event = note_created("notes", "note-1")

    # when
    async with demo_db() as db:
        await add_note(db, "note-1", "hello")
        await enqueue(db, event)
        await db.commit()

    # then
    assert [tuple(row) for row in await all_rows(demo_db, NOTES)] == [("note-1", "hello")]
    [row] = await all_rows(demo_db, OUTBOX)
    assert (row.event_id, row.topic, row.key, row.type) == (
        event.id,
        "notes",
        "note-1",
        "note.created",
    )
    assert row.payload == event.to_json().decode()
    assert (row.published_at, row.attempts, row.last_error) == (None, 0, None)


async def test_failing_state_change_rolls_back_its_event(
    demo_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    async with demo_db() as db:
        await add_note(db, "note-1", "first")
        await db.commit()

    # when
    with pytest.raises(Exception, match="duplicate key"):
        async with demo_db() as db:
            await enqueue(db, note_created("notes", "note-1"))
            await add_note(db, "note-1", "again")
            await db.commit()

    # then
    assert [tuple(row) for row in await all_rows(demo_db, NOTES)] == [("note-1", "first")]
    assert await all_rows(demo_db, OUTBOX) == []
